using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Npgsql;
using Optio.Tests.Fakes;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Benchmarks;

/// <summary>
/// A GitHub provider over <c>repos × issues</c> open labelled issues on a loopback fake GitHub, synced by the real
/// service process: P1 the first sync (every issue becomes a task), P2 a re-sync of the unchanged repos (one 304 each,
/// nothing written), P6 the service's resident memory after P1. Next to P1, the floor measured in the same run: the
/// same streams appended raw, 500 per save, with the same inline projection (with and without the ticket index rows).
/// </summary>
public static class SyncBenchmark
{
    const string Owner = "bench";
    const string Label = "optio";
    const int FloorBatch = 500;
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    sealed record Run(
        double FloorSeconds, double FloorNoIndexSeconds, double QuickFloorSeconds, double FetchOnlySeconds,
        double P1Seconds, double P1SyncSeconds, int P1Requests, long P1Events,
        double P2Seconds, double P2SyncSeconds, long P2Events, IReadOnlyList<RecordedRequest> P2Requests,
        double MemoryAfterP1MiB, double MemoryAfterP2MiB);

    public static async Task RunAsync(BenchEnvironment bench, int repos, int issuesPerRepo, int runs)
    {
        var total = repos * issuesPerRepo;
        Console.WriteLine($"GitHub sync: {repos} repos × {issuesPerRepo} open '{Label}' issues = {total} tickets, {runs} run(s)");

        await using var github = await FakeGitHub.StartAsync();
        var names = Enumerable.Range(1, repos).Select(r => $"repo{r:00}").ToList();
        foreach (var name in names)
        {
            github.AddRepo(Owner, name);
            github.AddLabel(Owner, name, Label, "8250df");
            for (var i = 1; i <= issuesPerRepo; i++) github.AddIssue(Owner, name, IssueTitle(i), IssueBody(name, i), [Label]);
        }
        github.AddRepo(Owner, "warmup");
        github.AddIssue(Owner, "warmup", "Warm-up", "Pays for code generation and first queries.", [Label]);

        var results = new List<Run>();
        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"-- run {run}/{runs}");
            var floor = await FloorAsync(await bench.NewDatabaseAsync(), github, names, issuesPerRepo, withIndex: true);
            var floorNoIndex = await FloorAsync(await bench.NewDatabaseAsync(), github, names, issuesPerRepo, withIndex: false);
            var quickFloor = await FloorAsync(await bench.NewDatabaseAsync(), github, names, issuesPerRepo, withIndex: true, quick: true);
            var fetchOnly = await FetchOnlyAsync(github, names, total);
            var result = await ThroughServiceAsync(bench, await bench.NewDatabaseAsync(), github, names, total);
            result = result with { FloorSeconds = floor, FloorNoIndexSeconds = floorNoIndex, QuickFloorSeconds = quickFloor, FetchOnlySeconds = fetchOnly };
            results.Add(result);
            Print(result, total);
        }
        Summarise(results, total, repos);
    }

    static string IssueTitle(int i) => $"Fix flaky behaviour #{i} in the checkout flow";

    // A few hundred characters, like a real issue body.
    static string IssueBody(string repo, int i) =>
        $"""
         Steps to reproduce ({repo}, case {i}):
         1. Open the checkout page with a saved cart.
         2. Apply a discount code and change the shipping country.
         3. Observe that the total is not recalculated until reload.

         Expected: totals update at once. Actual: stale totals, see logs attached to #{i}.
         Acceptance: a test covering the country change, and no regressions in the cart suite.
         """;

    /// <summary>
    /// Raw batched new-stream appends (TicketImported + TaskQueued), optionally with the ticket index rows; with
    /// <paramref name="quick"/>, through Marten's fastest append path (QuickAppend) instead of the service's Rich mode.
    /// </summary>
    static async Task<double> FloorAsync(string connectionString, FakeGitHub github, IReadOnlyList<string> repos, int issuesPerRepo, bool withIndex,
        bool quick = false)
    {
        await using var store = BenchEnvironment.RawStore(connectionString, quick);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var providerId = Guid.CreateVersion7();
        var tickets = repos.SelectMany(repo => Enumerable.Range(1, issuesPerRepo).Select(i => (Repo: repo, Number: i))).ToList();
        var site = github.ApiUrl.GetLeftPart(UriPartial.Authority);
        // The store's first session and save pay for its own warm-up: not what we measure.
        await using (var warmUp = store.LightweightSession())
        {
            warmUp.Events.StartStream<OptioTask>(Guid.CreateVersion7(), new TaskCreated("Warm-up", "Warm-up", null), new TaskQueued());
            if (withIndex) warmUp.Insert(new TicketAlias { Id = "github:warm/up#1", TaskId = Guid.CreateVersion7() });
            await warmUp.SaveChangesAsync();
        }
        var clock = Stopwatch.StartNew();
        foreach (var chunk in tickets.Chunk(FloorBatch))
        {
            await using var session = store.LightweightSession();
            foreach (var (repo, number) in chunk)
            {
                var key = TicketKey.GitHub(Owner, repo, number);
                var id = $"{Owner}/{repo}#{number}";
                var taskId = key.TaskId;
                session.Events.StartStream<OptioTask>(taskId,
                    new TicketImported(new TicketRef(TicketSource.GitHub, id, id, $"{site}/{Owner}/{repo}/issues/{number}"),
                        IssueTitle(number), IssueBody(repo, number), $"{site}/{Owner}/{repo}", new TicketMetadata([Label]), providerId),
                    new TaskQueued());
                if (withIndex) session.Insert(new TicketAlias { Id = key.Value, TaskId = taskId });
            }
            await session.SaveChangesAsync();
        }
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Only the fetch: every page of every repo through the production GitHub client, in this process, nothing imported.</summary>
    static async Task<double> FetchOnlyAsync(FakeGitHub github, IReadOnlyList<string> repos, int expected)
    {
        var issues = new GitHubIssues(TimeProvider.System);
        var settings = new GitHubSettings(github.ApiUrl, FakeGitHub.Token);
        var clock = Stopwatch.StartNew();
        var seen = 0;
        foreach (var repo in repos)
            seen += (await issues.FetchOpenIssuesAsync(settings, Owner, repo, [Label], null, CancellationToken.None)).Tickets.Count;
        var seconds = clock.Elapsed.TotalSeconds;
        if (seen != expected) throw new InvalidOperationException($"Fetched {seen} tickets, expected {expected}.");
        return seconds;
    }

    static async Task<Run> ThroughServiceAsync(BenchEnvironment bench, string connectionString, FakeGitHub github, IReadOnlyList<string> repos, int total)
    {
        await bench.StartServiceAsync(connectionString, new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            // No scheduled syncs: only the ones this benchmark triggers.
            ["Optio__Sync__Interval"] = "00:00:00",
        });
        try
        {
            var http = bench.Http;
            await WarmUpAsync(http, github);

            // P1: creating the provider queues its first sync.
            github.ClearRequests();
            var eventsBefore = await EventCountAsync(connectionString);
            var clock = Stopwatch.StartNew();
            var created = await http.PostAsJsonAsync("/api/tickets/providers", new
            {
                source = "github",
                apiUrl = github.ApiUrl.AbsoluteUri,
                // Sync alone is measured: live status on the issues would edit them and make the unchanged run changed.
                config = new { repos = repos.Select(r => $"{Owner}/{r}").ToArray(), labels = new[] { Label }, publishStatus = false },
            });
            created.EnsureSuccessStatusCode();
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var p1 = await WaitForSyncAsync(http, id, after: null);
            var p1Seconds = clock.Elapsed.TotalSeconds;
            var memoryAfterP1 = bench.ServiceMemoryMiB();
            Expect(p1, total, imported: total);
            var p1Requests = github.Requests.Count;
            var eventsAfterP1 = await EventCountAsync(connectionString);

            // P2: the same, unchanged, again.
            github.ClearRequests();
            clock.Restart();
            var requested = await http.PostAsync("/api/tickets/sync", null);
            requested.EnsureSuccessStatusCode();
            var requestedAt = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestedAt").GetDateTimeOffset();
            var p2 = await WaitForSyncAsync(http, id, after: requestedAt);
            var p2Seconds = clock.Elapsed.TotalSeconds;
            Expect(p2, 0, imported: 0);
            var eventsAfterP2 = await EventCountAsync(connectionString);

            return new Run(0, 0, 0, 0,
                p1Seconds, SyncSeconds(p1), p1Requests, eventsAfterP1 - eventsBefore,
                p2Seconds, SyncSeconds(p2), eventsAfterP2 - eventsAfterP1, github.Requests,
                memoryAfterP1, bench.ServiceMemoryMiB());
        }
        finally
        {
            await bench.StopServiceAsync();
        }
    }

    /// <summary>The first sync and the first sync request pay for code generation and first queries: not what we measure.</summary>
    static async Task WarmUpAsync(HttpClient http, FakeGitHub github)
    {
        var created = await http.PostAsJsonAsync("/api/tickets/providers", new
        {
            source = "github",
            apiUrl = github.ApiUrl.AbsoluteUri,
            config = new { repos = new[] { $"{Owner}/warmup" }, labels = new[] { Label }, publishStatus = false },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Expect(await WaitForSyncAsync(http, id, after: null), 1, imported: 1);
        var requested = await http.PostAsync("/api/tickets/sync", null);
        requested.EnsureSuccessStatusCode();
        var requestedAt = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestedAt").GetDateTimeOffset();
        await WaitForSyncAsync(http, id, requestedAt);
        (await http.DeleteAsync($"/api/tickets/providers/{id}")).EnsureSuccessStatusCode();
    }

    /// <summary>Polls the provider until a sync finished (after <paramref name="after"/>, when given); returns its status.</summary>
    static async Task<JsonElement> WaitForSyncAsync(HttpClient http, Guid id, DateTimeOffset? after)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await http.GetFromJsonAsync<JsonElement>($"/api/tickets/providers/{id}")).GetProperty("status");
            if (status.TryGetProperty("lastSyncFinishedAt", out var finished) && finished.ValueKind == JsonValueKind.String
                && (after is null || finished.GetDateTimeOffset() > after))
                return status;
            if (deadline.Elapsed > Timeout) throw new TimeoutException($"Provider {id} did not finish a sync in {Timeout}.");
            await Task.Delay(Poll);
        }
    }

    static void Expect(JsonElement status, int seen, int imported)
    {
        var outcome = status.GetProperty("outcome").GetString();
        var run = status.GetProperty("lastRun");
        var (actualSeen, actualImported) = (run.GetProperty("ticketsSeen").GetInt32(), run.GetProperty("imported").GetInt32());
        if (outcome != "succeeded" || actualSeen != seen || actualImported != imported)
            throw new InvalidOperationException($"Sync {outcome}: seen {actualSeen} (expected {seen}), imported {actualImported} (expected {imported}); {status}");
    }

    static double SyncSeconds(JsonElement status) =>
        (status.GetProperty("lastSyncFinishedAt").GetDateTimeOffset() - status.GetProperty("lastSyncStartedAt").GetDateTimeOffset()).TotalSeconds;

    /// <summary>Task events only: each sync also records its run (started, finished) for the audit trail, by design.</summary>
    static async Task<long> EventCountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from optio.mt_events where type not like 'sync_run_%'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    static void Print(Run r, int total)
    {
        var statuses = string.Join(", ", r.P2Requests.GroupBy(q => $"{q.Route} {q.Status}").Select(g => $"{g.Count()}× {g.Key}"));
        Console.WriteLine($"   floor (new streams + index rows) {r.FloorSeconds:F2} s = {total / r.FloorSeconds:F0} tickets/s; without index rows {r.FloorNoIndexSeconds:F2} s = {total / r.FloorNoIndexSeconds:F0} tickets/s");
        Console.WriteLine($"   floor through QuickAppend (+ index rows) {r.QuickFloorSeconds:F2} s = {total / r.QuickFloorSeconds:F0} tickets/s");
        Console.WriteLine($"   fetch only (Octokit + fake, in the harness) {r.FetchOnlySeconds:F2} s");
        Console.WriteLine($"   P1 {r.P1Seconds:F2} s = {total / r.P1Seconds:F0} tickets/s ({r.P1Seconds / r.FloorSeconds * 100:F0}% of floor time → {r.FloorSeconds / r.P1Seconds:P1} of floor rate); sync itself {r.P1SyncSeconds:F2} s; {r.P1Requests} requests to GitHub; {r.P1Events} events");
        Console.WriteLine($"   P2 {r.P2Seconds:F3} s ({r.P2Seconds / r.P1Seconds:P1} of P1); sync itself {r.P2SyncSeconds:F3} s; {r.P2Events} events; requests: {statuses}");
        Console.WriteLine($"   P6 service memory {r.MemoryAfterP1MiB:F0} MiB after P1, {r.MemoryAfterP2MiB:F0} MiB after P2");
    }

    static void Summarise(IReadOnlyList<Run> runs, int total, int repos)
    {
        static double Median(IEnumerable<double> values)
        {
            var v = values.Order().ToArray();
            return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
        }
        string Seconds(Func<Run, double> f, string format = "F2") => $"{runs.Min(f).ToString(format)} / {Median(runs.Select(f)).ToString(format)} s";
        string Rate(Func<Run, double> f) => $"{total / runs.Min(f):F0} / {total / Median(runs.Select(f)):F0}";

        Console.WriteLine();
        Console.WriteLine($"Best / median of {runs.Count} run(s):");
        Console.WriteLine("| measure | time | tickets/s | notes |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| P1 first sync, provider created → status finished | {Seconds(r => r.P1Seconds)} | {Rate(r => r.P1Seconds)} | sync itself {Seconds(r => r.P1SyncSeconds)}; {runs[0].P1Requests} requests to GitHub; {runs[0].P1Events} events |");
        Console.WriteLine($"| floor: raw new streams + ticket index rows, 500 per save | {Seconds(r => r.FloorSeconds)} | {Rate(r => r.FloorSeconds)} | P1 at {Median(runs.Select(r => r.FloorSeconds / r.P1Seconds)):P1} of the floor rate (median of per-run ratios) |");
        Console.WriteLine($"| floor: the same through QuickAppend | {Seconds(r => r.QuickFloorSeconds)} | {Rate(r => r.QuickFloorSeconds)} | P1 at {Median(runs.Select(r => r.QuickFloorSeconds / r.P1Seconds)):P1} of the QuickAppend floor rate |");
        Console.WriteLine($"| floor without index rows | {Seconds(r => r.FloorNoIndexSeconds)} | {Rate(r => r.FloorNoIndexSeconds)} | |");
        Console.WriteLine($"| fetch only (production GitHub client + fake, no import) | {Seconds(r => r.FetchOnlySeconds)} | {Rate(r => r.FetchOnlySeconds)} | |");
        Console.WriteLine($"| P2 re-sync, unchanged | {Seconds(r => r.P2Seconds, "F3")} | | {Median(runs.Select(r => r.P2Seconds / r.P1Seconds)):P1} of P1; task events written {string.Join(", ", runs.Select(r => r.P2Events))}; requests {string.Join(", ", runs.Select(r => r.P2Requests.Count))} (≤ {repos}), all 304: {runs.All(r => r.P2Requests.All(q => q.Status == 304))} |");
        Console.WriteLine($"| P6 service memory after P1 | | | {string.Join(", ", runs.Select(r => $"{r.MemoryAfterP1MiB:F0}"))} MiB |");
    }
}
