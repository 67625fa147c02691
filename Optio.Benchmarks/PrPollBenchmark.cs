using System.Diagnostics;
using Optio.Tests.Fakes;
using Optio.Domain.Tasks;

namespace Optio.Benchmarks;

/// <summary>
/// P5: one poll cycle of the real service over N open pull requests that do not change. The tasks
/// are appended raw (already in pr_opened); the service polls every 3 s; the first cycle reads
/// everything (200s), the next ones must cost only conditional requests (304s). Reported: requests
/// per cycle, how many were 304, and the cycle's duration (first to last request).
/// </summary>
public static class PrPollBenchmark
{
    const string Owner = "bench";
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(BenchEnvironment bench, int prs)
    {
        const int repos = 10;
        Console.WriteLine($"PR poll cycle: {prs} open, unchanged pull requests in {repos} repos, poll every {Interval.TotalSeconds:0} s");
        await using var github = await FakeGitHub.StartAsync();
        var connection = await bench.NewDatabaseAsync();
        await SeedAsync(github, connection, prs, repos);

        await bench.StartServiceAsync(connection, new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio__GitHub__ApiUrl"] = github.ApiUrl.ToString(),
            ["Optio__PullRequests__PollInterval"] = Interval.ToString(),
            ["Optio__Sync__Interval"] = "00:00:00",
        });

        // Wait for three cycles: the first reads every PR, the next two are the steady state measured.
        var cycles = await CyclesAsync(github, count: 3);
        Console.WriteLine();
        Console.WriteLine("| cycle | requests | of which 304 | duration |");
        Console.WriteLine("| --- | --- | --- | --- |");
        for (var i = 0; i < cycles.Count; i++)
        {
            var c = cycles[i];
            Console.WriteLine($"| {(i == 0 ? "first (cold)" : $"steady {i}")} | {c.Count} | {c.Count(r => r.Status == 304)} | {(c[^1].ReceivedAt - c[0].ReceivedAt).TotalSeconds:F2} s |");
        }
        Console.WriteLine($"service memory {bench.ServiceMemoryMiB():F0} MiB");
    }

    static async Task SeedAsync(FakeGitHub github, string connection, int prs, int repos)
    {
        await using var store = BenchEnvironment.RawStore(connection);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var session = store.LightweightSession();
        for (var i = 0; i < prs; i++)
        {
            var repo = $"repo{i % repos:00}";
            if (i < repos) github.AddRepo(Owner, repo);
            var number = i / repos + 1;
            var id = Guid.CreateVersion7();
            github.AddPull(Owner, repo, number, $"optio/{id}");
            github.EditPull(Owner, repo, number, p => p.CheckRuns.Add(new FakeCheckRun("build", "success")));
            session.Events.StartStream<OptioTask>(id,
                new TaskCreated($"Task {i}", "Prompt", $"https://github.com/{Owner}/{repo}"), new TaskQueued(),
                new TaskClaimed("runner", DateTimeOffset.UtcNow.AddHours(1)), new TaskStarted("runner"),
                new PrOpened($"https://github.com/{Owner}/{repo}/pull/{number}"));
        }
        await session.SaveChangesAsync();
    }

    /// <summary>Groups the fake's requests into cycles by the idle gap between them.</summary>
    static async Task<List<List<RecordedRequest>>> CyclesAsync(FakeGitHub github, int count)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(500);
            var requests = github.Requests.ToList();
            var cycles = new List<List<RecordedRequest>>();
            foreach (var r in requests)
            {
                if (cycles.Count == 0 || (r.ReceivedAt - cycles[^1][^1].ReceivedAt) > TimeSpan.FromSeconds(1)) cycles.Add([]);
                cycles[^1].Add(r);
            }
            var quiet = requests.Count > 0 && DateTime.UtcNow - requests[^1].ReceivedAt > TimeSpan.FromSeconds(1);
            if (cycles.Count >= count && quiet) return cycles.Take(count).ToList();
        }
        throw new TimeoutException("The poller did not complete the cycles in time.");
    }
}
