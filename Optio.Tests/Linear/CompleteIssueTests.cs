using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Linear;

public sealed class CompleteIssueTests : WithFakeLinear
{
    [Fact]
    public async Task Complete_moves_the_issue_to_its_teams_lowest_position_completed_state()
    {
        var team = Linear.AddTeam("ENG", defaultStates: false);
        team.AddState("Todo", "unstarted", 0);
        team.AddState("Shipped", "completed", 9);
        var done = team.AddState("Done", "completed", 3);
        team.AddState("Released", "completed", 5);
        team.AddState("Canceled", "canceled", 1);
        var issue = Linear.AddIssue(team, "Finish me", ["optio"]);

        await Client.CompleteIssueAsync(Linear.Settings(), issue.Uuid, CancellationToken.None);

        Assert.Same(done, issue.State);
        var update = Assert.Single(RequestsFor("issueUpdate"));
        Assert.Equal(done.Id, update.Variables.GetProperty("stateId").GetString());
        Assert.Equal(issue.Id, update.Variables.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Complete_uses_the_workflow_of_the_team_the_issue_is_in_now()
    {
        var eng = Linear.AddTeam("ENG");
        var ops = Linear.AddTeam("OPS", defaultStates: false);
        ops.AddState("Todo", "unstarted", 0);
        var opsDone = ops.AddState("Closed", "completed", 7);
        var issue = Linear.AddIssue(eng, "Moved", ["optio"]);
        issue.Team = ops;
        issue.State = ops.State("Todo");

        await Client.CompleteIssueAsync(Linear.Settings(teamId: eng.Id), issue.Uuid, CancellationToken.None);

        Assert.Same(opsDone, issue.State);
    }

    [Fact]
    public async Task Complete_does_nothing_when_the_issue_is_already_completed()
    {
        var team = Linear.AddTeam("ENG");
        var shipped = team.AddState("Shipped", "completed", 8);
        var issue = Linear.AddIssue(team, "Already shipped", ["optio"], shipped);

        await Client.CompleteIssueAsync(Linear.Settings(), issue.Uuid, CancellationToken.None);

        Assert.Same(shipped, issue.State);
        Assert.Empty(RequestsFor("issueUpdate"));
        Assert.Empty(Linear.Updates);
    }

    [Fact]
    public async Task Complete_moves_a_canceled_issue_to_completed()
    {
        var team = Linear.AddTeam("ENG");
        var issue = Linear.AddIssue(team, "Canceled earlier", ["optio"], team.State("Canceled"));

        await Client.CompleteIssueAsync(Linear.Settings(), issue.Uuid, CancellationToken.None);

        Assert.Same(team.State("Done"), issue.State);
    }

    [Fact]
    public async Task Complete_fails_clearly_when_the_team_has_no_completed_state()
    {
        var team = Linear.AddTeam("ENG", defaultStates: false);
        team.AddState("Todo", "unstarted", 0);
        var issue = Linear.AddIssue(team, "Nowhere to go", ["optio"]);

        var e = await Assert.ThrowsAsync<LinearApiException>(() => Client.CompleteIssueAsync(Linear.Settings(), issue.Uuid, CancellationToken.None));

        Assert.Contains("no workflow state of type 'completed'", e.Message);
        Assert.Empty(RequestsFor("issueUpdate"));
    }

    [Fact]
    public async Task Complete_throws_when_Linear_reports_no_success()
    {
        var team = Linear.AddTeam("ENG");
        var issue = Linear.AddIssue(team, "Stuck", ["optio"]);
        Linear.IssueUpdateSucceeds = false;

        var e = await Assert.ThrowsAsync<LinearApiException>(() => Client.CompleteIssueAsync(Linear.Settings(), issue.Uuid, CancellationToken.None));

        Assert.Contains(issue.Identifier, e.Message);
    }

    [Fact]
    public async Task Complete_of_an_unknown_issue_throws_Linears_error()
    {
        Linear.AddTeam("ENG");

        var e = await Assert.ThrowsAsync<LinearApiException>(() => Client.CompleteIssueAsync(Linear.Settings(), Guid.NewGuid(), CancellationToken.None));

        Assert.Contains("Entity not found", e.Message);
    }
}
