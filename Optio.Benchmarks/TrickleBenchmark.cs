using System.Net.Http.Json;
using System.Text.Json;
using Optio.Domain.Tasks;
using Optio.Tests.Fakes;

namespace Optio.Benchmarks;

/// <summary>
/// Steady trickle: <c>rate</c> task events a second for <c>seconds</c>, each announced to one <c>*</c> subscription
/// on a loopback receiver by the real service. What counts is latency, event stored → delivery received, when the
/// service is not saturated (the fan-out benchmark measures throughput).
/// </summary>
public static class TrickleBenchmark
{
    const int TicksPerSecond = 10;

    public static async Task RunAsync(BenchEnvironment bench, int rate, int seconds)
    {
        Console.WriteLine($"Steady trickle: {rate} task events/s for {seconds} s, one subscription to a loopback receiver");
        await using var receiver = await WebhookReceiver.StartAsync();
        var connection = await bench.NewDatabaseAsync();
        await bench.StartServiceAsync(connection, new Dictionary<string, string>
        {
            ["Optio__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Optio__Sync__Interval"] = "00:00:00",
        });
        var url = receiver.NewUrl();
        (await bench.Http.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "*" } })).EnsureSuccessStatusCode();
        var warm = await FanOutBenchmark.WarmUpAsync(bench, receiver, url);

        // Two events per new stream (task.created, task.queued), appended every tick of a tenth of a second.
        await using var store = BenchEnvironment.RawStore(connection);
        var perTick = Math.Max(1, rate / TicksPerSecond / 2);
        var ticks = seconds * TicksPerSecond;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / TicksPerSecond));
        var sent = 0;
        for (var tick = 0; tick < ticks && await timer.WaitForNextTickAsync(); tick++)
        {
            await using var session = store.LightweightSession();
            for (var i = 0; i < perTick; i++)
                session.Events.StartStream<OptioTask>(Guid.CreateVersion7(), new TaskCreated($"Task {tick}.{i}", "p", null), new TaskQueued());
            await session.SaveChangesAsync();
            sent += perTick * 2;
        }

        var received = (await FanOutBenchmark.WaitAsync(receiver, url, warm + sent)).Skip(warm).ToList();
        var latencies = received
            .Select(r => (r.ArrivedAt - JsonDocument.Parse(r.Body).RootElement.GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds)
            .Order().ToList();
        Console.WriteLine();
        Console.WriteLine("| events | event → received p50 | p99 | max |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| {sent} ({sent / (double)seconds:F0}/s) | {FanOutBenchmark.P(latencies, 0.5):F0} ms | {FanOutBenchmark.P(latencies, 0.99):F0} ms | {latencies[^1]:F0} ms |");
    }
}
