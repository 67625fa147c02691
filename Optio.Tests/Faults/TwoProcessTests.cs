using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Faults;

/// <summary>Two service processes on different ports sharing one PostgreSQL, as a scaled-out install runs (Wolverine balanced mode).</summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public class TwoProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Two_nodes_share_the_work_without_duplicate_tasks_or_deliveries()
    {
        await using var github = await FakeGitHub.StartAsync();
        for (var r = 0; r < 4; r++)
        {
            github.AddRepo("pair", $"repo{r}");
            for (var i = 1; i <= 100; i++) github.AddIssue("pair", $"repo{r}", $"Issue {i}", "body", ["optio"]);
        }
        await using var receiver = await WebhookReceiver.StartAsync();
        var url = receiver.NewUrl();
        var database = await TestPostgres.NewDatabaseAsync("pair");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio__GitHub__ApiUrl"] = github.ApiUrl.ToString(),
            ["Optio__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Optio__Sync__Interval"] = "00:00:00",
        };
        await using var a = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        await using var b = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);

        (await a.Http.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "task.created" } })).EnsureSuccessStatusCode();
        var created = await b.Http.PostAsJsonAsync("/api/tickets/providers", new
        {
            source = "github", config = new { repos = new[] { "pair/repo0", "pair/repo1", "pair/repo2", "pair/repo3" }, publishStatus = false },
            apiUrl = github.ApiUrl.ToString(),
        });
        created.EnsureSuccessStatusCode();

        // Both nodes asked to sync at once, and both assigning issues the sync also imports.
        await Task.WhenAll(
            a.Http.PostAsync("/api/tickets/sync", null), b.Http.PostAsync("/api/tickets/sync", null),
            a.Http.PostAsJsonAsync("/api/issues/assign", new { issueUrl = "https://github.com/pair/repo0/issues/5" }),
            b.Http.PostAsJsonAsync("/api/issues/assign", new { issueUrl = "https://github.com/pair/repo0/issues/5" }),
            b.Http.PostAsJsonAsync("/api/issues/assign", new { issueUrl = "https://github.com/pair/repo3/issues/9" }));

        await Eventually.Until(() => ScalarAsync(database, "select count(*) from optio.mt_events where type = 'ticket_imported'"),
            n => n == 400, TimeSpan.FromSeconds(90), "every ticket imported");
        // Each attempt is recorded after the receiver answered it, under the delivery's lock: once 400 are recorded, every
        // send has ended, and a second send of any delivery would show as a second recorded attempt.
        await Eventually.Until(() => ScalarAsync(database, "select count(*) from optio.mt_events where type = 'delivery_attempted'"),
            n => n >= 400, TimeSpan.FromSeconds(120), "every delivery attempted");

        Assert.Equal(400, await ScalarAsync(database, "select count(distinct stream_id) from optio.mt_events where type = 'ticket_imported'"));
        Assert.Equal(400, await ScalarAsync(database, "select count(*) from optio.mt_doc_tasksummary"));
        var all = receiver.RequestsTo(url);
        Assert.Equal(400, all.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Equal(400, all.Count); // each delivery attempted by one node, once
        Assert.Equal(400, await ScalarAsync(database, "select count(*) from optio.mt_events where type = 'delivery_attempted'"));
        Assert.Single(all, r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("title").GetString() == "Issue 5"
            && r.Body.Contains("pair/repo0#5"));
    }

    [Fact]
    public async Task The_periodic_work_of_a_killed_node_is_taken_over_by_the_other()
    {
        await using var github = await FakeGitHub.StartAsync();
        github.AddRepo("pair", "ticking");
        var database = await TestPostgres.NewDatabaseAsync("takeover");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio__GitHub__ApiUrl"] = github.ApiUrl.ToString(),
            ["Optio__Sync__Interval"] = "00:00:01",
            ["Optio__Cluster__HealthCheckInterval"] = "00:00:01",
            ["Optio__Cluster__StaleNodeTimeout"] = "00:00:05",
        };
        await using var first = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        (await first.Http.PostAsJsonAsync("/api/tickets/providers", new { source = "github", config = new { repos = new[] { "pair/ticking" } } }))
            .EnsureSuccessStatusCode();
        await using var second = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        (await second.Http.PostAsync("/api/tickets/sync", null)).EnsureSuccessStatusCode(); // its sync handler compiled before the kill
        int Syncs() => github.RequestsTo(FakeGitHub.Routes.ListIssues).Count;

        // The node registered first has the lower node number.
        var holder = await Eventually.Until(() => ScheduleHolderAsync(database), n => n is not null, TimeSpan.FromSeconds(30), "the sync schedule placed");
        var numbers = await NodeNumbersAsync(database);
        var (doomed, survivor) = holder == numbers[0] ? (first, second) : (second, first);
        output.WriteLine($"the schedule runs on node {holder} of [{string.Join(", ", numbers)}]; killing it");
        await Eventually.Until(() => Task.FromResult(Syncs()), n => n >= 2, TimeSpan.FromSeconds(30), "the schedule to tick");
        await doomed.KillAsync();
        var atKill = Syncs();

        var moved = await Eventually.Until(() => ScheduleHolderAsync(database), n => n is not null && n != holder, TimeSpan.FromSeconds(90), "the schedule to move");
        await Eventually.Until(() => Task.FromResult(Syncs()), n => n >= atKill + 3, TimeSpan.FromSeconds(90), "the survivor to keep syncing");
        output.WriteLine($"taken over by node {moved}");
        Assert.True((await survivor.Http.GetAsync("/health/ready")).IsSuccessStatusCode);
    }

    /// <summary>The Wolverine node number the sync schedule's agent is assigned to, if any.</summary>
    static async Task<int?> ScheduleHolderAsync(string database) =>
        await WolverineScalarAsync<int?>(database, "select n.node_number from {0}.wolverine_node_assignments a join {0}.wolverine_nodes n on n.id = a.node_id where a.id like 'optio-sync-schedule:%'");

    static async Task<int[]> NodeNumbersAsync(string database)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(string.Format("select array_agg(node_number order by node_number) from {0}.wolverine_nodes", await WolverineSchemaAsync(conn)), conn);
        return (int[])(await command.ExecuteScalarAsync())!;
    }

    static async Task<T?> WolverineScalarAsync<T>(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        if (await WolverineSchemaAsync(conn) is not { } schema) return default;
        await using var command = new NpgsqlCommand(string.Format(sql, schema), conn);
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    static async Task<string?> WolverineSchemaAsync(NpgsqlConnection conn)
    {
        await using var command = new NpgsqlCommand("select table_schema from information_schema.tables where table_name = 'wolverine_node_assignments'", conn);
        return (string?)await command.ExecuteScalarAsync();
    }

    static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var exists = new NpgsqlCommand("select to_regclass('optio.mt_events') is not null and to_regclass('optio.mt_doc_tasksummary') is not null", conn);
        if (!(bool)(await exists.ExecuteScalarAsync())!) return 0;
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
