using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>Live status on Linear issues: moved to started when the task runs, one comment kept current.</summary>
[Collection(TicketsCollection.Name)]
public class LinearTicketStatusTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeLinear Linear => api.Linear;

    async Task<(FakeLinearTeam Team, FakeLinearIssue Issue, Guid TaskId)> QueuedTaskAsync(Func<FakeLinearTeam, FakeLinearState?>? state = null)
    {
        var team = Linear.AddTeam($"Z{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        // A second started state further along the board: the move goes to the first one.
        team.AddState("In Review", "started", 2.5);
        var issue = Linear.AddIssue(team, "Show it in Linear", ["optio"], state?.Invoke(team));
        await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id));
        return (team, issue, TicketKey.Linear(issue.Uuid).TaskId);
    }

    Task<FakeLinearComment> ShowsAsync(FakeLinearIssue issue, string state) =>
        Eventually.Until(() => Task.FromResult(issue.Comments.FirstOrDefault(c => c.Body.StartsWith($"Optio status: **{state}**"))),
            c => c is not null, what: $"the Linear comment to say {state}")!;

    async Task RunAsync(Guid taskId)
    {
        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
    }

    [Fact]
    public async Task A_running_task_moves_its_issue_to_the_first_started_state_and_keeps_one_comment_current()
    {
        var (team, issue, taskId) = await QueuedTaskAsync();
        await ShowsAsync(issue, "Queued");

        await RunAsync(taskId);
        await ShowsAsync(issue, "Running");
        await Host.DecideAsync(taskId, t => t.OpenPr("https://github.com/acme/webapp/pull/12"));
        var comment = await ShowsAsync(issue, "Pull request opened");

        Assert.Equal(team.State("In Progress"), issue.State);
        Assert.Equal(team.State("In Progress").Id, Assert.Single(Linear.Updates, u => u.IssueId == issue.Uuid).StateId);
        Assert.Same(comment, Assert.Single(issue.Comments));
        Assert.Contains("pull/12", comment.Body);
        Assert.Equal(2, comment.Edits);
        Assert.Single(Linear.Requests, r => r.RootField == "commentCreate" && r.Body.Contains(issue.Id));
    }

    [Theory]
    [InlineData("In Review")]
    [InlineData("Done")]
    public async Task An_issue_already_started_or_later_is_not_moved_back(string already)
    {
        var (team, issue, taskId) = await QueuedTaskAsync();
        await ShowsAsync(issue, "Queued");
        issue.State = team.State(already); // someone moved it on in Linear while the task waited

        await RunAsync(taskId);
        await ShowsAsync(issue, "Running");

        Assert.Equal(team.State(already), issue.State);
        Assert.DoesNotContain(Linear.Updates, u => u.IssueId == issue.Uuid);
    }

    [Fact]
    public async Task A_deleted_linear_comment_is_written_again()
    {
        var (_, issue, taskId) = await QueuedTaskAsync();
        await ShowsAsync(issue, "Queued");
        issue.Comments.Clear();

        await RunAsync(taskId);
        await ShowsAsync(issue, "Running");

        Assert.Single(issue.Comments);
    }

    [Fact]
    public async Task With_publish_status_off_linear_hears_nothing()
    {
        var team = Linear.AddTeam($"Q{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var quiet = Linear.AddIssue(team, "Quiet", ["optio"]);
        await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id, publishStatus: false));
        var (_, canary, canaryTask) = await QueuedTaskAsync();
        await RunAsync(TicketKey.Linear(quiet.Uuid).TaskId);
        await RunAsync(canaryTask);

        await ShowsAsync(canary, "Running"); // the same queue has handled the quiet task's changes by now

        Assert.Empty(quiet.Comments);
        Assert.Equal("Todo", quiet.State.Name);
        Assert.DoesNotContain(Linear.Requests, r => r.RootField is "commentCreate" or "commentUpdate" or "issueUpdate" && r.Body.Contains(quiet.Id));
    }
}
