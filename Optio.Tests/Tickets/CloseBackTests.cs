using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

[Collection(TicketsCollection.Name)]
public class CloseBackTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task A_merged_task_comments_and_closes_its_github_issue_keeping_the_milestone()
    {
        var repo = $"close{Guid.NewGuid():N}"[..14];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddMilestone("acme", repo, 1, "v1");
        api.GitHub.AddIssue("acme", repo, "Ship it", "body", ["optio"], milestone: 1);
        // Without live status, close-back's own comment is the only one (with it, the status comment says "done").
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}", publishStatus: false);
        await api.FirstSyncAsync(provider);
        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;

        await Host.MergeAsync(taskId, $"https://github.com/acme/{repo}/pull/5");

        var task = await Eventually.Until(() => Host.GetTaskAsync(taskId), t => t.TicketWrittenBack is not null, what: "the close-back");
        Assert.True(task.TicketWrittenBack);
        var issue = api.GitHub.Issue("acme", repo, 1);
        Assert.Equal(("closed", "completed", 1), (issue.State, issue.StateReason, issue.Milestone));
        Assert.Contains($"https://github.com/acme/{repo}/pull/5", Assert.Single(issue.Comments));
        var patch = Assert.Single(api.GitHub.RequestsTo(FakeGitHub.Routes.UpdateIssue), r => r.PathAndQuery.Contains(repo));
        Assert.DoesNotContain("\"milestone\":null", patch.Body);
    }

    [Fact]
    public async Task A_github_close_back_that_fails_is_retried_until_it_succeeds()
    {
        var repo = $"retry{Guid.NewGuid():N}"[..14];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "Flaky GitHub", "body", ["optio"]);
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));
        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;
        api.GitHub.FailNext(1, FakeGitHubFault.ServerError, r => r.PathAndQuery.Contains($"{repo}/issues/1") && r.Method == "GET");

        await Host.MergeAsync(taskId, $"https://github.com/acme/{repo}/pull/6");

        var task = await Eventually.Until(() => Host.GetTaskAsync(taskId), t => t.TicketWrittenBack is not null, what: "the close-back");
        Assert.True(task.TicketWrittenBack);
        Assert.Equal("closed", api.GitHub.Issue("acme", repo, 1).State);
        var events = await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync();
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(events, "\"ticket_closed\""));
    }

    [Fact]
    public async Task A_merged_linear_task_moves_its_issue_to_the_first_completed_state_of_its_team()
    {
        var team = api.Linear.AddTeam($"C{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = api.Linear.AddIssue(team, "Close me in Linear", ["optio"]);
        // Without live status, the move to done is the issue's only update (with it, running moves it to started first).
        await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id, publishStatus: false));
        var taskId = TicketKey.Linear(issue.Uuid).TaskId;

        await Host.MergeAsync(taskId, "https://github.com/acme/webapp/pull/77");

        var task = await Eventually.Until(() => Host.GetTaskAsync(taskId), t => t.TicketWrittenBack is not null, what: "the close-back");
        Assert.True(task.TicketWrittenBack);
        var firstCompleted = team.States.Where(s => s.Type == "completed").MinBy(s => s.Position)!;
        Assert.Equal(firstCompleted.Id, Assert.Single(api.Linear.Updates, u => u.IssueId == issue.Uuid).StateId);
        Assert.Equal(TaskState.Completed, task.State);
    }
}
