using Optio.Tests.Fakes;
using Optio.Api.Integrations.GitHub;
using Optio.Domain.Tickets;

namespace Optio.Tests.GitHub;

public class FetchOpenIssuesTests : GitHubTest
{
    [Fact]
    public async Task All_pages_are_followed()
    {
        GitHub.AddRepo("acme", "webapp");
        for (var i = 1; i <= 250; i++) GitHub.AddIssue("acme", "webapp", $"Issue {i}", labels: ["optio"]);

        var result = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.True(result.Modified);
        Assert.Equal(250, result.Tickets.Select(t => t.Ticket.ExternalId).Distinct().Count());
        var pages = GitHub.RequestsTo(FakeGitHub.Routes.ListIssues);
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Contains("per_page=100", p.PathAndQuery));
        Assert.Contains("page=3", pages[2].PathAndQuery);
    }

    [Fact]
    public async Task An_issue_with_any_of_the_labels_is_imported()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "bug only", labels: ["bug"]);
        GitHub.AddIssue("acme", "webapp", "optio, other case", labels: ["Optio"]);
        GitHub.AddIssue("acme", "webapp", "both and more", labels: ["optio", "bug", "ui"]);
        GitHub.AddIssue("acme", "webapp", "another label", labels: ["feature"]);
        GitHub.AddIssue("acme", "webapp", "no label");

        var result = await FetchAsync("acme", "webapp", ["optio", "BUG"]);

        Assert.Equal(["both and more", "bug only", "optio, other case"], result.Tickets.Select(t => t.Title).Order());
        // labels=a,b would ask GitHub for issues carrying all of them.
        Assert.DoesNotContain("labels=", GitHub.RequestsTo(FakeGitHub.Routes.ListIssues).Single().PathAndQuery);
    }

    [Fact]
    public async Task Assignee_filter_is_sent_to_GitHub()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "for alice", labels: ["optio"], assignee: "alice");
        GitHub.AddIssue("acme", "webapp", "for bob", labels: ["optio"], assignee: "bob");
        GitHub.AddIssue("acme", "webapp", "for nobody", labels: ["optio"]);

        var result = await FetchAsync("acme", "webapp", ["optio"], assignee: "alice");

        Assert.Equal("for alice", Assert.Single(result.Tickets).Title);
        var query = GitHub.RequestsTo(FakeGitHub.Routes.ListIssues).Single().PathAndQuery;
        Assert.Contains("assignee=alice", query);
        Assert.Contains("state=open", query);
        Assert.Contains("sort=updated", query);
    }

    [Fact]
    public async Task Pull_requests_are_skipped()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "an issue", labels: ["optio"]);
        GitHub.AddIssue("acme", "webapp", "a pull request", labels: ["optio"], pullRequest: true);

        var result = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.Equal("an issue", Assert.Single(result.Tickets).Title);
    }

    [Fact]
    public async Task Closed_issues_are_not_imported()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "open", labels: ["optio"]);
        var closed = GitHub.AddIssue("acme", "webapp", "closed", labels: ["optio"]);
        GitHub.Edit("acme", "webapp", closed.Number, i => i.State = "closed");

        var result = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.Equal("open", Assert.Single(result.Tickets).Title);
    }

    [Fact]
    public async Task Issue_maps_to_a_ticket()
    {
        GitHub.AddRepo("Acme", "WebApp");
        GitHub.AddIssue("Acme", "WebApp", "first", body: "nothing");
        GitHub.AddIssue("Acme", "WebApp", "Fix the login redirect", body: "Go back to the page the user came from.",
            labels: ["optio", "auth"], assignee: "alice", milestone: 2);
        GitHub.AddIssue("Acme", "WebApp", "No body", labels: ["optio"]);

        var tickets = (await FetchAsync("Acme", "WebApp", ["optio"])).Tickets.OrderBy(t => t.Ticket.ExternalId).ToList();

        var ticket = tickets[0];
        var host = $"{GitHub.ApiUrl.Host}:{GitHub.ApiUrl.Port}";
        Assert.Equal(new TicketRef("github", "acme/webapp#2", "acme/webapp#2", $"http://{host}/Acme/WebApp/issues/2"), ticket.Ticket);
        Assert.Equal(TicketKey.GitHub("acme", "webapp", 2), ticket.Ticket.Key);
        Assert.Equal("Fix the login redirect", ticket.Title);
        Assert.Equal("Go back to the page the user came from.", ticket.Prompt);
        Assert.Equal($"https://{host}/acme/webapp", ticket.RepoUrl);
        Assert.Equal(["optio", "auth"], ticket.Metadata.Labels);
        Assert.Equal("alice", ticket.Metadata.Assignee);
        Assert.Null(ticket.Metadata.Priority);
        Assert.Null(ticket.Metadata.Team);
        Assert.Null(ticket.Metadata.Project);
        Assert.Empty(ticket.LinkedTickets);

        Assert.Equal("", tickets[1].Prompt);
        Assert.Null(tickets[1].Metadata.Assignee);
    }

    [Fact]
    public async Task Unchanged_repo_costs_one_304_and_returns_not_modified()
    {
        GitHub.AddRepo("acme", "webapp");
        for (var i = 1; i <= 150; i++) GitHub.AddIssue("acme", "webapp", $"Issue {i}", labels: ["optio"]);
        await FetchAsync("acme", "webapp", ["optio"]);
        GitHub.ClearRequests();

        var again = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.False(again.Modified);
        Assert.Empty(again.Tickets);
        var request = Assert.Single(GitHub.Requests);
        Assert.Equal(FakeGitHub.Routes.ListIssues, request.Route);
        Assert.NotNull(request.IfNoneMatch);
        Assert.Equal(304, request.Status);
    }

    [Fact]
    public async Task A_change_after_not_modified_returns_the_new_set()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "old", labels: ["optio"]);
        await FetchAsync("acme", "webapp", ["optio"]);
        Assert.False((await FetchAsync("acme", "webapp", ["optio"])).Modified);

        GitHub.AddIssue("acme", "webapp", "new", labels: ["optio"]);
        var changed = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.True(changed.Modified);
        Assert.Equal(["new", "old"], changed.Tickets.Select(t => t.Title));
        Assert.False((await FetchAsync("acme", "webapp", ["optio"])).Modified);
    }

    [Fact]
    public async Task Another_label_set_or_assignee_is_not_told_not_modified()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "a bug", labels: ["bug"], assignee: "alice");
        GitHub.AddIssue("acme", "webapp", "a feature", labels: ["feature"], assignee: "alice");
        await FetchAsync("acme", "webapp", ["bug"]);

        var features = await FetchAsync("acme", "webapp", ["feature"]);
        var alices = await FetchAsync("acme", "webapp", ["bug"], assignee: "alice");

        Assert.True(features.Modified);
        Assert.Equal("a feature", Assert.Single(features.Tickets).Title);
        Assert.True(alices.Modified);
        Assert.Equal("a bug", Assert.Single(alices.Tickets).Title);
        Assert.False((await FetchAsync("acme", "webapp", ["FEATURE"])).Modified);
    }

    [Fact]
    public async Task Forget_makes_the_next_fetch_return_the_tickets_again()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "one", labels: ["optio"]);
        await FetchAsync("acme", "webapp", ["optio"]);

        Issues.Forget(Settings, "ACME", "WebApp");
        var again = await FetchAsync("acme", "webapp", ["optio"]);

        Assert.True(again.Modified);
        Assert.Equal("one", Assert.Single(again.Tickets).Title);
        // Still a conditional request: the page itself came from the cache.
        Assert.Equal(304, GitHub.RequestsTo(FakeGitHub.Routes.ListIssues).Last().Status);
    }

    [Fact]
    public async Task A_walk_cut_short_is_walked_again_next_time()
    {
        GitHub.AddRepo("acme", "webapp");
        for (var i = 1; i <= 150; i++) GitHub.AddIssue("acme", "webapp", $"Issue {i}", labels: ["optio"]);
        await FetchAsync("acme", "webapp", ["optio"]);
        GitHub.AddIssue("acme", "webapp", "new", labels: ["optio"]);

        GitHub.FailNext(1, FakeGitHubFault.ServerError, r => r.PathAndQuery.Contains("page=2"));
        await Assert.ThrowsAsync<GitHubApiException>(() => FetchAsync("acme", "webapp", ["optio"]));

        var again = await FetchAsync("acme", "webapp", ["optio"]);
        Assert.True(again.Modified);
        Assert.Equal(151, again.Tickets.Count);
    }
}
