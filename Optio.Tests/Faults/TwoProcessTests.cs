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
            source = "github", config = new { repos = new[] { "pair/repo0", "pair/repo1", "pair/repo2", "pair/repo3" } }, apiUrl = github.ApiUrl.ToString(),
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
