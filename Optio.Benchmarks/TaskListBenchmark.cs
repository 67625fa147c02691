using System.Diagnostics;
using Optio.Domain.Tasks;

namespace Optio.Benchmarks;

/// <summary>
/// P4: <c>GET /api/tasks?state=queued&amp;limit=50</c> with N tasks in the store, under a fixed load of
/// concurrent clients, next to a trivial endpoint of the same process (<c>/health/live</c>) under the
/// same load. P6: the service's resident memory with those tasks.
/// </summary>
public static class TaskListBenchmark
{
    const int Clients = 8;

    public static async Task RunAsync(BenchEnvironment bench, int tasks, int seconds)
    {
        var duration = TimeSpan.FromSeconds(seconds);
        Console.WriteLine($"Task list: {tasks} tasks ({tasks / 2} queued), {Clients} clients for {duration.TotalSeconds:0} s per endpoint");
        var connection = await bench.NewDatabaseAsync();
        await SeedAsync(connection, tasks);
        await bench.StartServiceAsync(connection, new Dictionary<string, string> { ["Optio__Sync__Interval"] = "00:00:00" });

        var list = await LoadAsync(bench.Http, "/api/tasks?state=queued&limit=50", duration);
        var trivial = await LoadAsync(bench.Http, "/health/live", duration);
        Console.WriteLine();
        Console.WriteLine("| endpoint | requests/s | p50 | p99 |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine(Row("GET /api/tasks?state=queued&limit=50", list));
        Console.WriteLine(Row("GET /health/live (trivial, same process)", trivial));
        Console.WriteLine($"list p50 / trivial p50: {list.P50 / trivial.P50:F1}×; service memory with {tasks} tasks: {bench.ServiceMemoryMiB():F0} MiB");
    }

    static string Row(string name, Load l) => $"| {name} | {l.PerSecond:F0} | {l.P50:F2} ms | {l.P99:F2} ms |";

    sealed record Load(double PerSecond, double P50, double P99);

    static async Task<Load> LoadAsync(HttpClient http, string url, TimeSpan duration)
    {
        for (var i = 0; i < 50; i++) (await http.GetAsync(url)).EnsureSuccessStatusCode(); // warm-up
        var latencies = new List<double>[Clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(async c =>
        {
            latencies[c] = [];
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(url);
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
                latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Load(all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)]);
    }

    static async Task SeedAsync(string connection, int tasks)
    {
        await using var store = BenchEnvironment.RawStore(connection);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, tasks).Chunk(1000))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk)
            {
                var id = Guid.CreateVersion7();
                object[] events = i % 2 == 0
                    ? [new TaskCreated($"Task {i}", "Prompt", "https://github.com/acme/webapp"), new TaskQueued()]
                    : [new TaskCreated($"Task {i}", "Prompt", "https://github.com/acme/webapp"), new TaskQueued(), new TaskFailed("seeded")];
                session.Events.StartStream<OptioTask>(id, events);
            }
            await session.SaveChangesAsync();
        }
        Console.WriteLine($"seeded {tasks} tasks in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
