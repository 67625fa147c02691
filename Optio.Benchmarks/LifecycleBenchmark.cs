using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Optio.Domain.Tasks;

namespace Optio.Benchmarks;

/// <summary>
/// N task lifecycles (create, claim, start, report PR: 5 events each) through the HTTP API with
/// concurrent runners, next to the floor: the same events appended raw, 500 streams per save,
/// with the same inline projection.
/// </summary>
public static class LifecycleBenchmark
{
    const int Runners = 8;
    const int EventsPerLifecycle = 5;
    // A PR is accepted for the task's own repository (or a connected one).
    const string RepoUrl = "https://github.com/acme/webapp";

    public static async Task RunAsync(BenchEnvironment bench, int n)
    {
        Console.WriteLine($"Task lifecycles: n={n}, {Runners} concurrent runners, {EventsPerLifecycle} events each");

        var rawSeconds = await RawAppendsAsync(await bench.NewDatabaseAsync(), n);
        var apiSeconds = await ThroughApiAsync(bench, await bench.NewDatabaseAsync(), n);

        var rawRate = n * EventsPerLifecycle / rawSeconds;
        var apiRate = n * EventsPerLifecycle / apiSeconds;
        Console.WriteLine();
        Console.WriteLine("| path | lifecycles/s | events/s | time |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| HTTP API (4 requests per lifecycle) | {n / apiSeconds:F0} | {apiRate:F0} | {apiSeconds:F2} s |");
        Console.WriteLine($"| raw batched Marten appends (floor) | {n / rawSeconds:F0} | {rawRate:F0} | {rawSeconds:F2} s |");
        Console.WriteLine($"API / raw: {apiRate / rawRate:P1} of the raw append rate; service memory {bench.ServiceMemoryMiB():F0} MiB");
    }

    static async Task<double> RawAppendsAsync(string connectionString, int n)
    {
        await using var store = BenchEnvironment.RawStore(connectionString);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, n).Chunk(500))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk)
                session.Events.StartStream<OptioTask>(Guid.CreateVersion7(),
                    new TaskCreated($"Task {i}", "Prompt", RepoUrl), new TaskQueued(),
                    new TaskClaimed("runner", now.AddMinutes(5)), new TaskStarted("runner"),
                    new PrOpened($"https://github.com/acme/webapp/pull/{i + 1}"));
            await session.SaveChangesAsync();
        }
        return clock.Elapsed.TotalSeconds;
    }

    static async Task<double> ThroughApiAsync(BenchEnvironment bench, string connectionString, int n)
    {
        await bench.StartServiceAsync(connectionString);
        var http = bench.Http;
        await WarmUpAsync(http);

        var clock = Stopwatch.StartNew();
        var created = 0;
        var finished = 0;
        await Task.WhenAll(Enumerable.Range(0, Runners).Select(async r =>
        {
            var runner = $"runner-{r}";
            // A runner files a task and works the oldest queued one, which may be another's.
            while (Interlocked.Increment(ref created) <= n)
            {
                (await http.PostAsJsonAsync("/api/tasks", new { title = "bench", prompt = "do it", repoUrl = RepoUrl })).EnsureSuccessStatusCode();
                if (await WorkOneAsync(http, runner)) Interlocked.Increment(ref finished);
            }
            while (await WorkOneAsync(http, runner)) Interlocked.Increment(ref finished);
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        if (finished != n) throw new InvalidOperationException($"{finished} lifecycles finished, expected {n}.");
        return seconds;
    }

    /// <summary>Claim, start, report a PR; false when the queue is empty.</summary>
    static async Task<bool> WorkOneAsync(HttpClient http, string runner)
    {
        var claim = await http.PostAsJsonAsync("/api/tasks/claim", new { runnerId = runner, leaseSeconds = 300 });
        claim.EnsureSuccessStatusCode();
        if (claim.StatusCode == System.Net.HttpStatusCode.NoContent) return false;
        var id = (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await http.PostAsJsonAsync($"/api/tasks/{id}/start", new { runnerId = runner })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/tasks/{id}/pr", new { prUrl = $"{RepoUrl}/pull/{Random.Shared.Next(1, 1_000_000)}" })).EnsureSuccessStatusCode();
        return true;
    }

    /// <summary>The first request to each route pays for code generation: not what we measure.</summary>
    static async Task WarmUpAsync(HttpClient http)
    {
        (await http.PostAsJsonAsync("/api/tasks", new { title = "warm-up", prompt = "warm-up", repoUrl = RepoUrl })).EnsureSuccessStatusCode();
        if (!await WorkOneAsync(http, "warm-up")) throw new InvalidOperationException("Warm-up task was not claimed.");
    }
}
