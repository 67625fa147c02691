using System.Text.Json.Nodes;
using Optio.Tests.Fakes;

namespace Optio.Tests.GitHub;

public class IssueWriteTests : GitHubTest
{
    const string Purple = "8250df";

    [Fact]
    public async Task Comment_is_posted_on_the_issue()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Fix it");

        await Issues.CommentAsync(Settings, "acme", "webapp", 1, "Optio opened https://github.com/acme/webapp/pull/7", CancellationToken.None);

        Assert.Equal(["Optio opened https://github.com/acme/webapp/pull/7"], GitHub.Issue("acme", "webapp", 1).Comments);
    }

    [Fact]
    public async Task Get_issue_reads_it_and_a_missing_one_is_null()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Fix it", labels: ["optio"]);

        var issue = await Issues.GetIssueAsync(Settings, "acme", "webapp", 1, CancellationToken.None);
        var missing = await Issues.GetIssueAsync(Settings, "acme", "webapp", 99, CancellationToken.None);

        Assert.Equal("Fix it", issue?.Title);
        Assert.Null(missing);
    }

    [Fact]
    public async Task Close_keeps_milestone_assignees_and_labels_and_says_completed()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddMilestone("acme", "webapp", 3, "v1.0");
        GitHub.AddIssue("acme", "webapp", "Fix it", labels: ["optio", "auth"], assignee: "alice", milestone: 3);

        await Issues.CloseIssueAsync(Settings, "acme", "webapp", 1, CancellationToken.None);

        var patch = GitHub.RequestsTo(FakeGitHub.Routes.UpdateIssue).Single().Body;
        Assert.DoesNotContain("\"milestone\":null", patch.Replace(" ", ""));
        var sent = JsonNode.Parse(patch)!;
        Assert.Equal(3, sent["milestone"]!.GetValue<int>());
        Assert.Equal("closed", sent["state"]!.GetValue<string>());
        Assert.Equal("completed", sent["state_reason"]!.GetValue<string>());

        var issue = GitHub.Issue("acme", "webapp", 1);
        Assert.Equal(("closed", "completed", 3), (issue.State, issue.StateReason, issue.Milestone));
        Assert.Equal(["alice"], issue.Assignees);
        Assert.Equal(["optio", "auth"], issue.Labels);
    }

    [Fact]
    public async Task Already_closed_issue_is_not_patched()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Done already");
        GitHub.Edit("acme", "webapp", 1, i => (i.State, i.StateReason) = ("closed", "not_planned"));

        await Issues.CloseIssueAsync(Settings, "acme", "webapp", 1, CancellationToken.None);

        Assert.Equal(0, GitHub.Count(FakeGitHub.Routes.UpdateIssue));
        Assert.Equal("not_planned", GitHub.Issue("acme", "webapp", 1).StateReason);
    }

    [Fact]
    public async Task Missing_label_is_created_in_its_colour_before_it_is_added()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Fix it", labels: ["optio"]);

        await Issues.EnsureLabelOnIssueAsync(Settings, "acme", "webapp", 1, "optio: working", "#" + Purple, CancellationToken.None);

        Assert.Equal(Purple, GitHub.Label("acme", "webapp", "optio: working")?.Color);
        Assert.Equal(["optio", "optio: working"], GitHub.Issue("acme", "webapp", 1).Labels);
        var routes = GitHub.Requests.Select(r => r.Route).ToList();
        Assert.True(routes.IndexOf(FakeGitHub.Routes.CreateLabel) is var created and >= 0
            && created < routes.IndexOf(FakeGitHub.Routes.AddLabelsToIssue), string.Join(", ", routes));
    }

    [Fact]
    public async Task Existing_label_is_not_recreated()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddLabel("acme", "webapp", "optio: working", "0e8a16");
        GitHub.AddIssue("acme", "webapp", "Fix it");

        await Issues.EnsureLabelOnIssueAsync(Settings, "acme", "webapp", 1, "optio: working", Purple, CancellationToken.None);

        Assert.Equal(0, GitHub.Count(FakeGitHub.Routes.CreateLabel));
        Assert.Equal("0e8a16", GitHub.Label("acme", "webapp", "optio: working")?.Color);
        Assert.Equal(["optio: working"], GitHub.Issue("acme", "webapp", 1).Labels);
    }
}
