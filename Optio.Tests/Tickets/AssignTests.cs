using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Issues;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

[Collection(TicketsCollection.Name)]
public class AssignTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    async Task<(string Repo, Guid RepoId)> ConnectedRepoAsync()
    {
        var repo = $"asg{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        var result = await Host.Scenario(s => { s.Post.Json(new { url = $"https://github.com/acme/{repo}" }).ToUrl("/api/repos"); s.StatusCodeShouldBe(201); });
        return (repo, JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Assigning_an_issue_queues_a_task_comments_and_labels_it_purple()
    {
        var (repo, _) = await ConnectedRepoAsync();
        GitHub.AddIssue("acme", repo, "Make it faster", "It is slow", ["perf"]);

        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1", repoUrl = $"https://github.com/acme/{repo}" }).ToUrl("/api/issues/assign");
            s.StatusCodeShouldBe(201);
        });
        var task = (await result.ReadAsJsonAsync<TaskView>())!;
        Assert.Equal((TicketKey.GitHub("acme", repo, 1).TaskId, TaskState.Queued, "Make it faster", "It is slow"), (task.Id, task.State, task.Title, task.Prompt));

        var issue = await Eventually.Until(() => Task.FromResult(GitHub.Issue("acme", repo, 1)), i => i.Comments.Count > 0 && i.Labels.Contains("optio"), what: "the announcement");
        Assert.Contains(task.Id.ToString(), Assert.Single(issue.Comments));
        Assert.Equal(AnnounceAssignmentHandler.LabelColor, GitHub.Label("acme", repo, "optio")!.Color);
    }

    [Fact]
    public async Task Assigning_an_issue_that_already_has_a_task_returns_it_and_changes_nothing()
    {
        var (repo, repoId) = await ConnectedRepoAsync();
        GitHub.AddIssue("acme", repo, "Once only", "body");
        var first = await Host.Scenario(s => { s.Post.Json(new { issueNumber = 1, repoId, agentType = "claude-code" }).ToUrl("/api/issues/assign"); s.StatusCodeShouldBe(201); });
        var created = (await first.ReadAsJsonAsync<TaskView>())!;
        await Eventually.Until(() => Task.FromResult(GitHub.Issue("acme", repo, 1).Comments.Count), c => c == 1);

        var again = await Host.AfterAllHandledAsync(() =>
            Host.Scenario(s => { s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1" }).ToUrl("/api/issues/assign"); s.StatusCodeShouldBe(200); }),
            [typeof(AnnounceAssignment), typeof(SyncProvider)]);

        var same = (await again.ReadAsJsonAsync<TaskView>())!;
        Assert.Equal((created.Id, TaskState.Queued), (same.Id, same.State));
        // The only write: the task follows the 'optio' label that announcing the assignment put on the issue.
        Assert.Equal((created.Version + 1, "claude-code"), (same.Version, same.Ticket!.AgentType));
        Assert.Equal(["optio"], same.Ticket.Labels);
        Assert.Single(GitHub.Issue("acme", repo, 1).Comments);
    }

    [Fact]
    public async Task The_issues_view_lists_open_issues_without_a_task_first()
    {
        var (repo, _) = await ConnectedRepoAsync();
        GitHub.AddIssue("acme", repo, "Has a task", "b", ["optio"]);
        GitHub.AddIssue("acme", repo, "No task yet", "b", ["bug"]);
        GitHub.AddIssue("acme", repo, "A PR", "b", pullRequest: true);
        await Host.Scenario(s => { s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1" }).ToUrl("/api/issues/assign"); s.StatusCodeShouldBe(201); });

        var page = (await Host.GetAsJson<IssuePage>($"/api/issues?repo=acme/{repo}"))!;

        Assert.Equal(["No task yet", "Has a task"], page.Items.Select(i => i.Title));
        Assert.Equal((null, null), (page.Items[0].TaskId, page.Items[0].TaskState));
        Assert.Equal((TicketKey.GitHub("acme", repo, 1).TaskId, TaskState.Queued), (page.Items[1].TaskId!.Value, page.Items[1].TaskState!.Value));
        Assert.Equal(["bug"], page.Items[0].Labels);
    }

    [Theory]
    [InlineData("{}", "issueUrl")]
    [InlineData("{\"issueUrl\":\"https://github.com/acme/x/pull/3\"}", "not a GitHub issue URL")]
    [InlineData("{\"issueUrl\":\"https://github.com/acme/x/issues/3\",\"repoUrl\":\"https://github.com/acme/other\"}", "'repoUrl'")]
    public async Task Bad_assignments_are_400(string json, string mentions)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/issues/assign");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task Assigning_a_missing_issue_is_404()
    {
        var (repo, repoId) = await ConnectedRepoAsync();
        await Host.Scenario(s => { s.Post.Json(new { issueNumber = 99, repoId }).ToUrl("/api/issues/assign"); s.StatusCodeShouldBe(404); });
        await Host.Scenario(s => { s.Post.Json(new { issueNumber = 1, repoId = Guid.NewGuid() }).ToUrl("/api/issues/assign"); s.StatusCodeShouldBe(404); });
        Assert.DoesNotContain(GitHub.RequestsTo(FakeGitHub.Routes.CreateComment), r => r.PathAndQuery.Contains(repo));
    }

    [Fact]
    public async Task A_periodic_sync_a_manual_sync_and_an_assign_racing_for_one_ticket_make_one_task()
    {
        var (repo, _) = await ConnectedRepoAsync();
        GitHub.AddIssue("acme", repo, "Contested", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var sync = Host.Services.GetRequiredService<Optio.Api.Tickets.Sync.ProviderSync>();
        var schedule = Host.Services.GetRequiredService<Optio.Api.Tickets.Sync.SyncSchedule>();

        var assign = Host.Scenario(s => { s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1" }).ToUrl("/api/issues/assign"); s.IgnoreStatusCode(); });
        await Task.WhenAll(
            Task.Run(() => sync.RunAsync(provider, "schedule", default)),
            Task.Run(() => schedule.QueueAllAsync("requested", default)),
            assign);
        Assert.Contains((await assign).Context.Response.StatusCode, new[] { 200, 201 });
        await api.SyncNowAsync(provider);

        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;
        var events = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync()).RootElement;
        Assert.Equal(1, events.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "ticket_imported"));
        var page = (await Host.GetAsJson<IssuePage>($"/api/issues?repo=acme/{repo}"))!;
        Assert.Equal(taskId, Assert.Single(page.Items).TaskId);
    }
}
