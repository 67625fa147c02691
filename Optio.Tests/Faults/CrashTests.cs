using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Faults;

/// <summary>The real service process, SIGKILLed while it works, then started again on the same database.</summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_in_the_middle_of_a_10000_ticket_sync_every_ticket_ends_as_exactly_one_task()
    {
        const int repos = 10, perRepo = 1000;
        await using var github = await FakeGitHub.StartAsync();
        for (var r = 0; r < repos; r++)
        {
            github.AddRepo("crash", $"repo{r}");
            for (var i = 1; i <= perRepo; i++) github.AddIssue("crash", $"repo{r}", $"Issue {i}", "body", ["optio"]);
        }
        var database = await TestPostgres.NewDatabaseAsync("crash");
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio__Sync__Interval"] = "00:00:00",
        };

        var first = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        var created = await first.Http.PostAsJsonAsync("/api/tickets/providers", new
        {
            source = "github",
            // Thousands of live status comments would only slow the import this test kills.
            config = new { repos = Enumerable.Range(0, repos).Select(r => $"crash/repo{r}").ToArray(), publishStatus = false },
            apiUrl = github.ApiUrl.ToString(),
        });
        created.EnsureSuccessStatusCode();
        var provider = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Half-way through the import: kill it.
        await Eventually.Until(() => CountAsync(database, "ticket_imported"), n => n >= 2000, TimeSpan.FromSeconds(60), "the sync to be under way");
        await first.KillAsync();
        var atCrash = await CountAsync(database, "ticket_imported");
        output.WriteLine($"killed with {atCrash} tickets imported");
        Assert.InRange(atCrash, 2000, repos * perRepo - 1);

        await using var second = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        (await second.Http.PostAsync("/api/tickets/sync", null)).EnsureSuccessStatusCode();
        await Eventually.Until(() => CountAsync(database, "ticket_imported"), n => n == repos * perRepo, TimeSpan.FromSeconds(120), "every ticket to be imported");
        await Eventually.Until(async () => (await second.Http.GetFromJsonAsync<JsonElement>($"/api/tickets/providers/{provider}")).GetProperty("status").GetProperty("outcome").GetString(),
            o => o == "succeeded", TimeSpan.FromSeconds(60), "the sync to finish");

        Assert.Equal(repos * perRepo, await CountAsync(database, "ticket_imported"));
        Assert.Equal(repos * perRepo, await ScalarAsync(database, "select count(distinct stream_id) from optio.mt_events where type = 'ticket_imported'"));
        Assert.Equal(repos * perRepo, await ScalarAsync(database, "select count(*) from optio.mt_doc_tasksummary"));
    }

    [Fact]
    public async Task Killed_in_the_middle_of_a_1000_delivery_fan_out_every_event_still_arrives_with_its_original_id_and_a_new_event_is_announced_at_once()
    {
        const int tasks = 500; // two announced events each: task.created and task.queued
        await using var receiver = await WebhookReceiver.StartAsync();
        var database = await TestPostgres.NewDatabaseAsync("fanout");
        var environment = new Dictionary<string, string>
        {
            ["Optio__Webhooks__AllowedNetworks__0"] = "127.0.0.0/8",
            ["Optio__Webhooks__Parallelism"] = "4",
            ["Optio__Sync__Interval"] = "00:00:00",
        };
        var url = receiver.NewUrl();
        var first = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        (await first.Http.PostAsJsonAsync("/api/webhooks", new { url, events = new[] { "*" } })).EnsureSuccessStatusCode();
        await Task.WhenAll(Enumerable.Range(0, tasks).Chunk(50).Select(async chunk =>
        {
            foreach (var i in chunk)
                (await first.Http.PostAsJsonAsync("/api/tasks", new { title = $"Task {i}", prompt = "p" })).EnsureSuccessStatusCode();
        }));

        await Eventually.Until(() => Task.FromResult(receiver.RequestsTo(url).Count), n => n >= 100, TimeSpan.FromSeconds(60), "deliveries to start");
        await first.KillAsync();
        var beforeRestart = receiver.RequestsTo(url).Count;
        output.WriteLine($"killed after {beforeRestart} deliveries");

        await using var second = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, environment, output.WriteLine);
        // A new event after the restart waits for the event-store subscription, which the dead node still held.
        var newEventAt = DateTimeOffset.UtcNow;
        (await second.Http.PostAsJsonAsync("/api/tasks", new { title = "After the restart", prompt = "p" })).EnsureSuccessStatusCode();
        var received = await Eventually.Until(() => Task.FromResult(receiver.RequestsTo(url)),
            r => r.Select(x => x.Header("webhook-id")).Distinct().Count() >= tasks * 2 + 2, TimeSpan.FromSeconds(180), "every delivery");
        var announced = received.Where(r => r.Body.Contains("After the restart")).Select(r => r.ArrivedAt).Min();
        output.WriteLine($"the new task announced {(announced - newEventAt).TotalSeconds:F1} s after it was created");

        Assert.True(beforeRestart < tasks * 2, "the kill came before the fan-out finished");
        // The dead node's subscription moves as soon as its database session is gone (NodeLiveness), not after the
        // one-minute StaleNodeTimeout this test leaves at its default: 55 s were measured without it, 17 s with it on a
        // machine at load 20. The bound tells the two apart; the crash benchmark measures.
        Assert.True(announced - newEventAt < TimeSpan.FromSeconds(30), $"the new task was announced {(announced - newEventAt).TotalSeconds:F1} s after it was created");
        var ids = await ScalarAsync(database, "select count(*) from optio.mt_doc_deliveryhistory");
        Assert.Equal(tasks * 2 + 2, ids);
        // Every received id is one Optio scheduled, and every body names the id it was sent under.
        Assert.All(received, r => Assert.Equal(r.Header("webhook-id"), JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetString()));
        Assert.Equal(tasks * 2 + 2, received.Select(r => r.Header("webhook-id")).Distinct().Count());
    }

    static Task<long> CountAsync(string database, string eventType) =>
        ScalarAsync(database, $"select count(*) from optio.mt_events where type = '{eventType}'");

    static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var exists = new NpgsqlCommand("select to_regclass('optio.mt_events') is not null", conn);
        if (!(bool)(await exists.ExecuteScalarAsync())!) return 0;
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
