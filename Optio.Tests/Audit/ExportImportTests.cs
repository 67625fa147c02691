using System.Text.Json.Nodes;
using Alba;
using Marten;
using Npgsql;
using Optio.Api.Notifications.Subscriptions;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Status;
using Optio.Domain.Tickets;
using Optio.Projections.Deliveries;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.PullRequests;
using Optio.Tests.Tickets;

namespace Optio.Tests.Audit;

/// <summary>The history moves hosts: export, import into a fresh database, the same read models and answers, nothing sent.</summary>
[Collection(AuditCollection.Name)]
public class ExportImportTests(AuditHost api)
{
    static readonly string[] ReadModels = ["mt_doc_tasksummary", "mt_doc_deliveryhistory", "mt_doc_syncrun"];

    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    [Fact]
    public async Task An_export_imported_into_a_fresh_database_gives_identical_read_models_and_answers_and_sends_nothing()
    {
        var history = await HistoryFromEveryPathAsync();
        var file = Path.Combine(TestRun.Directory, $"export-{Guid.NewGuid():N}.ndjson");
        var target = await TestPostgres.NewDatabaseAsync("optio_import");

        var export = await OptioCli.RunAsync(api.ConnectionString, "export", "--out", file);
        Assert.True(export.ExitCode == 0, export.Output);
        var sentBefore = (GitHub.Requests.Count, api.Linear.Requests.Count, api.Receiver.Requests.Count);
        var import = await OptioCli.RunAsync(target, "import", file);
        Assert.True(import.ExitCode == 0, import.Output);
        Assert.Contains("nothing is sent for the imported history", import.Output);
        Assert.Equal(sentBefore, (GitHub.Requests.Count, api.Linear.Requests.Count, api.Receiver.Requests.Count));

        foreach (var table in ReadModels)
            Assert.Equal(await RowsAsync(api.ConnectionString, table), await RowsAsync(target, table));
        Assert.Equal(WithoutSequence(await File.ReadAllLinesAsync(file)), WithoutSequence(await ExportedLinesAsync(target)));

        // The same subscriptions and providers, configured again on the new host (configuration is not history).
        foreach (var table in new[] { Table<WebhookSubscription>(), Table<TicketProvider>(), Table<ProviderSyncStatus>() })
            await CopyRowsAsync(api.ConnectionString, target, table);
        var copy = await ApiHost.StartHostAsync(target, api.Clock, settings: api.Settings);
        try
        {
            foreach (var url in AnswersToCompare(history))
                Assert.Equal(await AnswerAsync(Host, url), await AnswerAsync(copy, url));

            // Live work on the new host is announced; the imported history never is.
            var fresh = await copy.CreateTaskAsync("After the move");
            var arrived = await api.Receiver.WaitForAsync(history.OkHook, sentBefore.Item3 - history.OkHookRequestsBefore + 1);
            Assert.All(arrived.Skip(history.OkHookRequestsBefore), r => Assert.Contains(fresh.Id.ToString(), r.Body));
            Assert.Equal(history.GitHubWrites, GitHubWrites());
            Assert.Equal(history.LinearUpdates, api.Linear.Updates.Count);
        }
        finally
        {
            await copy.DisposeAsync();
            File.Delete(file);
        }

        var again = await OptioCli.RunAsync(target, "import", file.Replace(".ndjson", "-missing.ndjson"));
        Assert.NotEqual(0, again.ExitCode);
    }

    [Fact]
    public async Task Import_beside_a_running_service_or_into_a_database_that_holds_events_is_refused_and_writes_nothing()
    {
        await Host.CreateTaskAsync("Already here");
        var file = Path.Combine(TestRun.Directory, $"export-{Guid.NewGuid():N}.ndjson");
        var target = await TestPostgres.NewDatabaseAsync("optio_twice");
        try
        {
            Assert.Equal(0, (await OptioCli.RunAsync(api.ConnectionString, "export", "--out", file)).ExitCode);
            var events = await CountAsync(api.ConnectionString, "select count(*) from optio.mt_events");

            var beside = await OptioCli.RunAsync(api.ConnectionString, "import", file);
            Assert.Equal(3, beside.ExitCode);
            Assert.Contains("an Optio service is running against this database", beside.Output);
            Assert.Equal(events, await CountAsync(api.ConnectionString, "select count(*) from optio.mt_events"));

            Assert.Equal(0, (await OptioCli.RunAsync(target, "import", file)).ExitCode);
            var imported = await CountAsync(target, "select count(*) from optio.mt_events");
            var twice = await OptioCli.RunAsync(target, "import", file);
            Assert.Equal(1, twice.ExitCode);
            Assert.Contains("already holds", twice.Output);
            Assert.Contains("empty database", twice.Output);
            Assert.Equal(imported, await CountAsync(target, "select count(*) from optio.mt_events"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    sealed record History(Guid[] Tasks, Guid OkSubscription, Guid FailingSubscription, Guid GitHubProvider, string OkHook,
        int OkHookRequestsBefore, int GitHubWrites, int LinearUpdates);

    /// <summary>Tasks made by hand, by GitHub and Linear syncs (one linked onto another's task), a merge by webhook with its
    /// close-back, and deliveries that succeeded and failed.</summary>
    async Task<History> HistoryFromEveryPathAsync()
    {
        var okHook = api.Receiver.NewUrl();
        var failingHook = api.Receiver.NewUrl();
        api.Receiver.AnswerAlways(failingHook, Reply.Fail(500));
        var ok = await SubscribeAsync(okHook);
        var failing = await SubscribeAsync(failingHook);

        var manual = await Host.CreateTaskAsync("By hand");
        await Host.FailAsync(manual.Id, "gave up");

        var repo = $"move{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "From GitHub", "body", ["optio"]);
        var github = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(github);
        var githubTask = TicketKey.GitHub("acme", repo, 1).TaskId;

        var team = api.Linear.AddTeam($"M{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var linked = api.Linear.AddIssue(team, "Same work (Linear)", ["optio"]);
        linked.Attachments.Add(new FakeLinearAttachment { Url = $"https://github.com/acme/{repo}/issues/1", Title = "GitHub issue" });
        var own = api.Linear.AddIssue(team, "Linear only", ["optio"]);
        await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id));
        var linearTask = TicketKey.Linear(own.Uuid).TaskId;

        await Host.DecideAsync(githubTask, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(githubTask, t => t.Start("runner"));
        await Host.DecideAsync(githubTask, t => t.OpenPr($"https://github.com/acme/{repo}/pull/3"));
        var payload = GitHubDeliveries.Payload("pull_request.closed", "acme", repo);
        payload["number"] = 3;
        payload["pull_request"]!["number"] = 3;
        payload["pull_request"]!["merged"] = true;
        var body = payload.ToJsonString();
        await Host.PostAsync("pull_request", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 202);
        await Eventually.Until(() => Host.EventsOfAsync(githubTask), events => events.Count(e => e.Type == "ticket_closed") == 2,
            what: "the close-back of both tickets");

        Guid[] tasks = [manual.Id, githubTask, linearTask];
        // The live status on each ticket is published when it lands: wait until every ticket shows its task's latest state.
        await Eventually.Until(() => StatusesShownAsync(tasks), shown => shown, what: "each ticket showing its task's status");
        // Settled: every delivery of both subscriptions made, the good one's delivered, the failing one's first attempts failed
        // (a chain waits for its head, which retries later), and no more coming.
        var settled = 0;
        while (true)
        {
            var d = await Eventually.Until(() => DeliveriesAsync(ok.Id, failing.Id), d => d.Count > 0
                && d.Where(x => x.SubscriptionId == ok.Id).All(x => x.Status == "delivered")
                && d.Where(x => x.SubscriptionId == failing.Id).GroupBy(x => x.TaskId).All(chain => chain.Any(x => x.Attempts.Count > 0))
                && d.Count(x => x.SubscriptionId == ok.Id) == d.Count(x => x.SubscriptionId == failing.Id), what: "every delivery made");
            await Task.Delay(1000);
            if ((await DeliveriesAsync(ok.Id, failing.Id)).Count == d.Count && ++settled == 2) break;
        }
        return new History(tasks, ok.Id, failing.Id, github, okHook, api.Receiver.RequestsTo(okHook).Count, GitHubWrites(), api.Linear.Updates.Count);
    }

    async Task<bool> StatusesShownAsync(IEnumerable<Guid> tasks)
    {
        await using var query = api.Store.QuerySession();
        foreach (var id in tasks)
        {
            var history = await TaskStatusHistory.LoadAsync(query, id, CancellationToken.None);
            if (history?.Task.Ticket is not { } ticket) continue;
            var status = TicketStatus.Of(history.Task);
            if (history.Published.GetValueOrDefault(ticket.Key.Value) is not { } shown || shown.Status != status.State || shown.Detail != status.Detail)
                return false;
        }
        return true;
    }

    static IEnumerable<string> AnswersToCompare(History h) =>
        h.Tasks.SelectMany(id => new[] { $"/api/tasks/{id}", $"/api/tasks/{id}/events", $"/api/tasks/{id}?version=2" })
            .Concat([$"/api/tasks?pageSize=200", $"/api/webhooks/{h.OkSubscription}/deliveries?pageSize=200",
                $"/api/webhooks/{h.FailingSubscription}/deliveries?pageSize=200", $"/api/tickets/providers/{h.GitHubProvider}/runs"]);

    /// <summary>The answer as JSON text, without the store-wide sequence numbers (streams are imported one after another).</summary>
    static async Task<string> AnswerAsync(IAlbaHost host, string url)
    {
        var json = JsonNode.Parse(await (await host.Scenario(s => s.Get.Url(url))).ReadAsTextAsync())!;
        void Strip(JsonNode? node)
        {
            if (node is JsonObject o) { o.Remove("sequence"); o.Remove("eventSequence"); foreach (var (_, child) in o) Strip(child); }
            else if (node is JsonArray a) foreach (var child in a) Strip(child);
        }
        Strip(json);
        return json.ToJsonString();
    }

    int GitHubWrites() => GitHub.Requests.Count(r => r.Route is FakeGitHub.Routes.UpdateIssue or FakeGitHub.Routes.CreateComment
        or FakeGitHub.Routes.AddLabelsToIssue or FakeGitHub.Routes.CreateLabel);

    async Task<WebhookSubscriptionView> SubscribeAsync(string url)
    {
        var result = await Host.Scenario(s => { s.Post.Json(new { url, events = new[] { "*" } }).ToUrl("/api/webhooks"); s.StatusCodeShouldBe(201); });
        return (await result.ReadAsJsonAsync<WebhookSubscriptionView>())!;
    }

    async Task<IReadOnlyList<DeliveryHistory>> DeliveriesAsync(params Guid[] subscriptions)
    {
        await using var query = api.Store.QuerySession();
        return await query.Query<DeliveryHistory>().Where(x => x.SubscriptionId.IsOneOf(subscriptions)).ToListAsync();
    }

    string Table<T>() => api.Store.Options.Schema.For<T>(qualified: false);

    /// <summary>Each row of a table as text, by id, the write bookkeeping left out: what a projection made.</summary>
    static async Task<IReadOnlyList<string>> RowsAsync(string connectionString, string table)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            $"select (to_jsonb(t) - 'mt_last_modified' - 'mt_version' - 'mt_created_at')::text from optio.{table} t order by id", conn);
        var rows = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    /// <summary>The imported store exported again: the same lines but the sequence numbers.</summary>
    static async Task<IReadOnlyList<string>> ExportedLinesAsync(string connectionString)
    {
        var file = Path.Combine(TestRun.Directory, $"reexport-{Guid.NewGuid():N}.ndjson");
        var run = await OptioCli.RunAsync(connectionString, "export", "--out", file);
        Assert.True(run.ExitCode == 0, run.Output);
        var lines = await File.ReadAllLinesAsync(file);
        File.Delete(file);
        return lines;
    }

    static IReadOnlyList<string> WithoutSequence(IEnumerable<string> lines) => lines.Select(line =>
    {
        var json = JsonNode.Parse(line)!.AsObject();
        json.Remove("sequence");
        return json.ToJsonString();
    }).ToList();

    static async Task CopyRowsAsync(string from, string to, string table)
    {
        var rows = new List<string>();
        await using (var source = new NpgsqlConnection(from))
        {
            await source.OpenAsync();
            await using var read = new NpgsqlCommand($"select to_jsonb(t)::text from optio.{table} t", source);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        await using var target = new NpgsqlConnection(to);
        await target.OpenAsync();
        foreach (var row in rows)
        {
            await using var insert = new NpgsqlCommand($"insert into optio.{table} select * from jsonb_populate_record(null::optio.{table}, $1::jsonb)", target)
                { Parameters = { new() { Value = row } } };
            await insert.ExecuteNonQueryAsync();
        }
    }

    static async Task<long> CountAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
