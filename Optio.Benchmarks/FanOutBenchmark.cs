using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Optio.Tests.Fakes;
using Optio.Domain.Tasks;

namespace Optio.Benchmarks;

/// <summary>
/// P3: N task events fanned out as signed webhook deliveries by the real service to a loopback
/// receiver, next to a bare HttpClient loop posting the same bodies to the same receiver with the
/// same parallelism. Latency is event stored → delivery received.
/// </summary>
public static class FanOutBenchmark
{
    const int Parallelism = 16;

    public static async Task RunAsync(BenchEnvironment bench, int events)
    {
        Console.WriteLine($"Webhook fan-out: {events} task events, one subscription to a loopback receiver, {Parallelism} in flight");
        await using var receiver = await WebhookReceiver.StartAsync();
        var connection = await bench.NewDatabaseAsync();
        await bench.StartServiceAsync(connection, new Dictionary<string, string>
        {
            ["Optio__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Optio__Webhooks__Parallelism"] = Parallelism.ToString(),
            ["Optio__Sync__Interval"] = "00:00:00",
        });
        var url = receiver.NewUrl();
        (await bench.Http.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "*" } })).EnsureSuccessStatusCode();
        var warm = await WarmUpAsync(bench, receiver, url);

        // Half the events are task.created, half task.queued: two per stream, appended in batches.
        await using var store = BenchEnvironment.RawStore(connection);
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, events / 2).Chunk(500))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk) session.Events.StartStream<OptioTask>(Guid.CreateVersion7(), new TaskCreated($"Task {i}", "p", null), new TaskQueued());
            await session.SaveChangesAsync();
        }
        var stored = clock.Elapsed;
        var received = (await WaitAsync(receiver, url, warm + events)).Skip(warm).ToList();
        var optio = clock.Elapsed;
        var latencies = received.Select(r => (r.ArrivedAt - JsonDocument.Parse(r.Body).RootElement.GetProperty("timestamp").GetDateTimeOffset()).TotalMilliseconds)
            .Order().ToList();
        var distinctIds = received.Select(r => r.Header("webhook-id")).Distinct().Count();
        var scheduledBy = await ScheduledWithinAsync(connection);

        var bodies = received.Select(r => r.Body).ToList();
        var bareUrl = receiver.NewUrl("bare");
        var bare = await BareLoopAsync(bareUrl, bodies);

        Console.WriteLine();
        Console.WriteLine("| path | deliveries/s | time | event → received p50 | p99 |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        Console.WriteLine($"| Optio: event store → signed delivery | {events / optio.TotalSeconds:F0} | {optio.TotalSeconds:F2} s | {P(latencies, 0.5):F0} ms | {P(latencies, 0.99):F0} ms |");
        Console.WriteLine($"| bare HttpClient loop, same bodies | {events / bare.TotalSeconds:F0} | {bare.TotalSeconds:F2} s | — | — |");
        Console.WriteLine($"events appended in {stored.TotalSeconds:F2} s; all deliveries scheduled {scheduledBy.TotalSeconds:F2} s after the last event was stored; {distinctIds} distinct webhook-ids for {received.Count} deliveries; Optio at {bare.TotalSeconds / optio.TotalSeconds:P0} of the bare loop");
    }

    /// <summary>
    /// A service that has been running a while: its event-store subscription is placed and has delivered a task's events
    /// (the first one pays for code generation). Returns how many deliveries the warm-up made.
    /// </summary>
    internal static async Task<int> WarmUpAsync(BenchEnvironment bench, WebhookReceiver receiver, string url)
    {
        (await bench.Http.PostAsJsonAsync("/api/tasks", new { title = "warm-up", prompt = "p" })).EnsureSuccessStatusCode();
        return (await WaitAsync(receiver, url, 2)).Count;
    }

    /// <summary>From the last task event stored to the last delivery scheduled: how far the event store subscription lags.</summary>
    static async Task<TimeSpan> ScheduledWithinAsync(string connection)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select extract(epoch from max(timestamp) filter (where type = 'delivery_scheduled') - max(timestamp) filter (where type in ('task_created', 'task_queued'))) from optio.mt_events", conn);
        return TimeSpan.FromSeconds(Convert.ToDouble(await cmd.ExecuteScalarAsync()));
    }

    internal static double P(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * q))];

    internal static async Task<IReadOnlyList<ReceivedRequest>> WaitAsync(WebhookReceiver receiver, string url, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(10))
        {
            var got = receiver.RequestsTo(url);
            if (got.Count >= count) return got;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Only {receiver.RequestsTo(url).Count} of {count} deliveries arrived.");
    }

    static async Task<TimeSpan> BareLoopAsync(string url, IReadOnlyList<string> bodies)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (body, ct) =>
        {
            using var response = await http.PostAsync(url, new StringContent(body, Encoding.UTF8, "application/json"), ct);
            response.EnsureSuccessStatusCode();
        });
        return clock.Elapsed;
    }
}
