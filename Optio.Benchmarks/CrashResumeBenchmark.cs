using System.Diagnostics;
using System.Net.Http.Json;
using Optio.Tests.Fakes;

namespace Optio.Benchmarks;

/// <summary>
/// Crash → resume: the service is SIGKILLed in the middle of a fan-out and started again on the same database; a task
/// created as soon as the new process answers is timed until its events reach the subscriber. That waits for the dead
/// node's event-store subscription to move to the new node and for the gap its unfinished transaction left to be skipped.
/// </summary>
public static class CrashResumeBenchmark
{
    public static async Task RunAsync(BenchEnvironment bench, int runs)
    {
        Console.WriteLine($"Crash → resume, single node, {runs} runs");
        var environment = new Dictionary<string, string>
        {
            ["Optio__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Optio__Sync__Interval"] = "00:00:00",
        };
        var resumed = new List<TimeSpan>();
        var restarts = new List<TimeSpan>();
        for (var run = 0; run < runs; run++)
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            var connection = await bench.NewDatabaseAsync();
            await bench.StartServiceAsync(connection, environment);
            var url = receiver.NewUrl();
            (await bench.Http.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "*" } })).EnsureSuccessStatusCode();
            await FanOutBenchmark.WarmUpAsync(bench, receiver, url);
            // Work in flight when the process dies: tasks being created while deliveries go out.
            using var busy = new CancellationTokenSource();
            var load = Task.Run(async () =>
            {
                for (var i = 0; !busy.IsCancellationRequested; i++)
                    try { await bench.Http.PostAsJsonAsync("/api/tasks", new { title = $"Busy {i}", prompt = "p" }, busy.Token); }
                    catch (Exception) { return; }
            });
            await Task.Delay(TimeSpan.FromSeconds(2));
            await bench.KillServiceAsync();
            await busy.CancelAsync();
            await load;

            var restart = Stopwatch.StartNew();
            await bench.StartServiceAsync(connection, environment);
            restarts.Add(restart.Elapsed);
            var created = Stopwatch.StartNew();
            var title = $"After restart {run}";
            (await bench.Http.PostAsJsonAsync("/api/tasks", new { title, prompt = "p" })).EnsureSuccessStatusCode();
            while (!receiver.RequestsTo(url).Any(r => r.Body.Contains(title)))
            {
                if (created.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("The new task was never announced.");
                await Task.Delay(20);
            }
            resumed.Add(created.Elapsed);
            Console.WriteLine($"run {run + 1}: ready {restarts[^1].TotalSeconds:F1} s after the restart; the new task announced {resumed[^1].TotalSeconds:F2} s after it was created");
            await bench.StopServiceAsync();
        }
        Console.WriteLine();
        Console.WriteLine("| measure | min | median | max |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| restart → ready | {restarts.Min().TotalSeconds:F1} s | {Median(restarts).TotalSeconds:F1} s | {restarts.Max().TotalSeconds:F1} s |");
        Console.WriteLine($"| new task after ready → announced | {resumed.Min().TotalSeconds:F2} s | {Median(resumed).TotalSeconds:F2} s | {resumed.Max().TotalSeconds:F2} s |");
    }

    static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
