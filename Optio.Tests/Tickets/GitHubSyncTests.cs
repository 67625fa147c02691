using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Tests.Tickets;

[Collection(TicketsCollection.Name)]
public class GitHubSyncTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    string NewRepo()
    {
        var name = $"repo{Guid.NewGuid():N}"[..16];
        GitHub.AddRepo("acme", name);
        return name;
    }

    [Fact]
    public async Task Saving_a_provider_syncs_open_issues_with_any_label_and_skips_pull_requests()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "Labelled optio", "Do the thing", ["optio"]);
        GitHub.AddIssue("acme", repo, "Labelled ai-task", "Other thing", ["ai-task", "bug"]);
        GitHub.AddIssue("acme", repo, "Not labelled", "Ignore me", ["bug"]);
        GitHub.AddIssue("acme", repo, "A pull request", "PR body", ["optio"], pullRequest: true);

        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}", ["optio", "ai-task"]);
        var status = await api.FirstSyncAsync(provider);

        Assert.Equal("succeeded", status.Outcome);
        Assert.Equal((2, 2, 0), (status.LastRun.TicketsSeen, status.LastRun.Imported, status.LastRun.SkippedAsDuplicates));
        var tasks = await TasksOfAsync(repo);
        Assert.Equal(["Labelled ai-task", "Labelled optio"], tasks.Select(t => t.Title).Order());
        var first = tasks.Single(t => t.Title == "Labelled optio");
        Assert.Equal(TicketKey.GitHub("acme", repo, 1).TaskId, first.Id);
        Assert.Equal((TaskState.Queued, "github", "Do the thing"), (first.State, first.Source, first.Prompt));
        Assert.Equal(["optio"], first.Metadata!.Labels);
        Assert.EndsWith($"/acme/{repo}", first.RepoUrl);
    }

    [Fact, Trait("Category", "Faults")]
    public async Task An_issue_with_text_postgres_cannot_store_is_imported_with_replacement_characters_beside_the_others()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "Broken\0title", "Body with \0 in it", ["optio"]);
        GitHub.AddIssue("acme", repo, "Fine", "ok", ["optio"]);

        var status = await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));

        Assert.Equal("succeeded", status.Outcome);
        var tasks = await TasksOfAsync(repo);
        Assert.Equal(["Broken\uFFFDtitle", "Fine"], tasks.Select(t => t.Title).Order());
        Assert.Equal("Body with \uFFFD in it", tasks.Single(t => t.Title.StartsWith("Broken")).Prompt);
    }

    [Fact]
    public async Task An_unchanged_repo_costs_one_304_and_writes_nothing_but_its_run_record()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "One", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        var eventsBefore = await EventCountAsync();
        var listsBefore = GitHub.Count(FakeGitHub.Routes.ListIssues);

        Assert.Equal(Optio.Api.Tickets.Sync.SyncOutcome.Succeeded, await api.SyncNowAsync(provider));

        var lists = GitHub.RequestsTo(FakeGitHub.Routes.ListIssues).Skip(listsBefore).ToList();
        var only = Assert.Single(lists);
        Assert.Equal(304, only.Status);
        Assert.Equal(eventsBefore, await EventCountAsync());
        var status = await api.StatusAsync(provider);
        Assert.Equal((0, 1), (status.LastRun.Imported, status.LastRun.UnchangedScopes));
    }

    [Fact]
    public async Task Upstream_edits_reach_queued_tasks_and_closed_or_unlabelled_tickets_cancel_them()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "Edit me", "old body", ["optio"]);
        GitHub.AddIssue("acme", repo, "Close me", "body", ["optio"]);
        GitHub.AddIssue("acme", repo, "Unlabel me", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);

        GitHub.Edit("acme", repo, 1, i => { i.Title = "Edited"; i.Body = "new body"; });
        GitHub.Edit("acme", repo, 2, i => i.State = "closed");
        GitHub.Edit("acme", repo, 3, i => i.Labels.Clear());
        await api.SyncNowAsync(provider);

        var edited = await Host.GetTaskAsync(TicketKey.GitHub("acme", repo, 1).TaskId);
        Assert.Equal(("Edited", "new body", TaskState.Queued), (edited.Title, edited.Prompt, edited.State));
        foreach (var number in new[] { 2, 3 })
        {
            var withdrawn = await Host.GetTaskAsync(TicketKey.GitHub("acme", repo, number).TaskId);
            Assert.Equal((TaskState.Cancelled, "ticket closed or label removed upstream"), (withdrawn.State, withdrawn.Reason));
        }

        // Reopened and labelled again: a cancelled task is not re-imported; retry is explicit.
        GitHub.Edit("acme", repo, 2, i => i.State = "open");
        await api.SyncNowAsync(provider);
        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(TicketKey.GitHub("acme", repo, 2).TaskId)).State);
        var status = await api.StatusAsync(provider);
        Assert.Equal((0, 2), (status.LastRun.Imported, status.LastRun.SkippedAsDuplicates));
    }

    [Fact]
    public async Task A_task_already_claimed_ignores_upstream_edits_and_closure()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "Work on me", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        var id = TicketKey.GitHub("acme", repo, 1).TaskId;
        await Host.DecideAsync(id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));

        GitHub.Edit("acme", repo, 1, i => { i.Title = "Changed under the runner"; i.State = "closed"; });
        await api.SyncNowAsync(provider);

        var task = await Host.GetTaskAsync(id);
        Assert.Equal(("Work on me", TaskState.Provisioning), (task.Title, task.State));
    }

    [Fact]
    public async Task A_rate_limit_backs_off_records_it_and_imports_nothing_half_way()
    {
        var repo = NewRepo();
        GitHub.AddIssue("acme", repo, "Waiting", "body", ["optio"]);
        GitHub.FailNext(1, FakeGitHubFault.SecondaryRateLimit(120), r => r.Route == FakeGitHub.Routes.ListIssues && r.PathAndQuery.Contains(repo));
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");

        var status = await api.FirstSyncAsync(provider);

        Assert.Equal("rate_limited", status.Outcome);
        Assert.NotNull(status.RateLimitedUntil);
        Assert.InRange(status.RateLimitedUntil!.Value - status.LastSyncFinishedAt!.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(130));
        Assert.Contains("rate limit", status.LastError!.Message);
        Assert.Empty(await TasksOfAsync(repo));
        Assert.Equal(0, status.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_refused_token_is_recorded_on_the_provider_and_counts_failures()
    {
        var repo = NewRepo();
        GitHub.FailNext(2, FakeGitHubFault.BadCredentials, r => r.PathAndQuery.Contains(repo));
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var first = await api.FirstSyncAsync(provider);
        await api.SyncNowAsync(provider);

        var status = await api.StatusAsync(provider);
        Assert.Equal(("failed", 2), (status.Outcome, status.ConsecutiveFailures));
        Assert.Contains("401", status.LastError!.Message);
        Assert.DoesNotContain(FakeGitHub.Token, status.LastError.Message);
        Assert.Equal("failed", first.Outcome);

        GitHub.AddIssue("acme", repo, "Recovered", "body", ["optio"]);
        await api.SyncNowAsync(provider);
        status = await api.StatusAsync(provider);
        Assert.Equal(("succeeded", 0, 1), (status.Outcome, status.ConsecutiveFailures, status.LastRun.Imported));
        Assert.NotNull(status.LastError); // the last error stays visible, with when it happened
    }

    [Fact]
    public async Task After_a_failure_a_successful_sync_says_when_it_succeeded_and_keeps_the_error_as_history()
    {
        var repo = NewRepo();
        GitHub.FailNext(1, FakeGitHubFault.BadCredentials, r => r.PathAndQuery.Contains(repo));
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var failed = await StatusJsonAsync(provider, s => s.TryGetProperty("lastSyncFinishedAt", out _));
        Assert.Equal("failed", failed.GetProperty("outcome").GetString());
        Assert.False(failed.TryGetProperty("lastSuccessAt", out _)); // never succeeded yet

        api.Clock.Advance(TimeSpan.FromSeconds(1));
        await api.SyncNowAsync(provider);
        var recovered = await StatusJsonAsync(provider, _ => true);

        Assert.Equal("succeeded", recovered.GetProperty("outcome").GetString());
        var lastError = recovered.GetProperty("lastError");
        Assert.Contains("401", lastError.GetProperty("message").GetString());
        Assert.Equal(failed.GetProperty("lastError").GetProperty("at").GetDateTimeOffset(), lastError.GetProperty("at").GetDateTimeOffset());
        var succeededAt = recovered.GetProperty("lastSuccessAt").GetDateTimeOffset();
        Assert.Equal(recovered.GetProperty("lastSyncFinishedAt").GetDateTimeOffset(), succeededAt);
        Assert.True(succeededAt > lastError.GetProperty("at").GetDateTimeOffset(), "the error is older than the success: history, not the present");
    }

    async Task<JsonElement> StatusJsonAsync(Guid provider, Func<JsonElement, bool> until) =>
        await Eventually.Until(async () =>
            JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{provider}"))).ReadAsTextAsync())
                .RootElement.GetProperty("status").Clone(), until, what: "the provider's status");

    public static TheoryData<string> ProviderFaults() => ["server error", "malformed json", "page two fails", "slower than the timeout"];

    [Theory, MemberData(nameof(ProviderFaults)), Trait("Category", "Faults")]
    public async Task A_provider_fault_is_recorded_and_leaves_no_half_imported_ticket(string fault)
    {
        var repo = NewRepo();
        for (var i = 1; i <= 150; i++) GitHub.AddIssue("acme", repo, $"Issue {i}", "body", ["optio"]);
        var (answer, matching) = fault switch
        {
            "server error" => (FakeGitHubFault.ServerError, (Func<RecordedRequest, bool>)(r => r.PathAndQuery.Contains(repo))),
            "malformed json" => (FakeGitHubFault.MalformedJson, r => r.PathAndQuery.Contains(repo)),
            "slower than the timeout" => (FakeGitHubFault.Slow(TimeSpan.FromSeconds(10)), r => r.PathAndQuery.Contains(repo)),
            _ => (FakeGitHubFault.ServerError, r => r.PathAndQuery.Contains(repo) && r.PathAndQuery.Contains("page=2")),
        };
        GitHub.FailNext(1, answer, matching);

        var status = await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));

        Assert.Equal(("failed", 1), (status.Outcome, status.ConsecutiveFailures));
        Assert.False(string.IsNullOrWhiteSpace(status.LastError!.Message));
        Assert.Empty(await TasksOfAsync(repo)); // a repo is imported whole or not at all
    }

    [Fact, Trait("Category", "Faults")]
    public async Task A_repo_whose_import_failed_and_the_repo_read_ahead_of_it_are_read_in_full_by_the_next_sync()
    {
        // The next repo is read while one is imported: when that import fails, neither may be remembered as "seen"
        // (the next sync would get a 304 for both and never import them).
        var (failing, ahead) = (NewRepo(), NewRepo());
        foreach (var repo in new[] { failing, ahead })
            for (var i = 1; i <= 3; i++) GitHub.AddIssue("acme", repo, $"Issue {i}", "body", ["optio"]);
        var trigger = $"refuse_{failing}";
        await SqlAsync($"""
            create function optio.{trigger}() returns trigger language plpgsql as $$ begin raise exception 'disk full (test)'; end $$;
            create trigger {trigger} before insert on optio.mt_doc_ticketalias for each row
                when (new.id like 'github:acme/{failing}#%') execute function optio.{trigger}();
            """);
        Guid provider;
        try
        {
            var created = await Host.Scenario(s =>
            {
                s.Post.Json(new { source = "github", config = new { repos = new[] { $"acme/{failing}", $"acme/{ahead}" } }, apiUrl = GitHub.ApiUrl.ToString() })
                    .ToUrl("/api/tickets/providers");
                s.StatusCodeShouldBe(201);
            });
            provider = JsonDocument.Parse(await created.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();
            var first = await api.FirstSyncAsync(provider);
            Assert.Equal("failed", first.Outcome);
            Assert.Contains("disk full", first.LastError!.Message);
        }
        finally
        {
            await SqlAsync($"drop trigger {trigger} on optio.mt_doc_ticketalias; drop function optio.{trigger}();");
        }

        Assert.Equal(SyncOutcome.Succeeded, await api.SyncNowAsync(provider));

        Assert.Equal(3, (await TasksOfAsync(failing)).Count);
        Assert.Equal(3, (await TasksOfAsync(ahead)).Count);
    }

    async Task SqlAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Periodic_and_manual_syncs_racing_with_an_import_make_one_task_per_ticket()
    {
        var repo = NewRepo();
        for (var i = 1; i <= 20; i++) GitHub.AddIssue("acme", repo, $"Issue {i}", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var sync = Host.Services.GetRequiredService<Optio.Api.Tickets.Sync.ProviderSync>();

        await Task.WhenAll(
            Task.Run(() => sync.RunAsync(provider, "schedule", default)),
            Task.Run(() => Host.Scenario(s => { s.Post.Url("/api/tickets/sync"); s.ConfigureHttpContext(c => c.Request.ContentLength = 0); s.StatusCodeShouldBe(202); })),
            Task.Run(() => Host.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 7, "Issue 7", "body"))));
        await Eventually.Until(() => api.StatusAsync(provider), s => s.LastSyncFinishedAt is not null);
        await api.SyncNowAsync(provider);

        var tasks = await TasksOfAsync(repo);
        Assert.Equal(20, tasks.Count);
        Assert.Equal(20, tasks.Select(t => t.Ticket!.ExternalId).Distinct().Count());
    }

    [Fact]
    public async Task Requesting_a_sync_answers_202_with_providers_to_poll()
    {
        var repo = NewRepo();
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        var before = (await api.StatusAsync(provider)).LastSyncFinishedAt;
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        GitHub.AddIssue("acme", repo, "Arrives later", "body", ["optio"]);

        var result = await Host.Scenario(s => { s.Post.Url("/api/tickets/sync"); s.ConfigureHttpContext(c => c.Request.ContentLength = 0); s.StatusCodeShouldBe(202); });
        var body = await result.ReadAsTextAsync();
        Assert.Contains($"/api/tickets/providers/{provider}", body);

        await Eventually.Until(() => api.StatusAsync(provider), s => s.LastSyncFinishedAt > before, what: "the requested sync");
        Assert.Single(await TasksOfAsync(repo));
    }

    async Task<IReadOnlyList<TaskSummary>> TasksOfAsync(string repo)
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<TaskSummary>().Where(x => x.Ticket!.ExternalId.StartsWith($"acme/{repo}#")).ToListAsync();
    }

    /// <summary>Events other than the sync runs' own records (each run is a stream of its own).</summary>
    async Task<long> EventCountAsync()
    {
        await using var session = api.Store.QuerySession();
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName != "sync_run_started" && e.EventTypeName != "sync_run_finished").CountAsync();
    }
}
