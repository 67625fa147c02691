using System.Text.Json;
using Optio.Tests.Fakes;
using Optio.Domain.Tickets;

namespace Optio.Tests.Linear;

public sealed class FetchOpenIssuesTests : WithFakeLinear
{
    [Fact]
    public async Task Fetch_follows_cursor_pages_until_the_end()
    {
        var team = Linear.AddTeam("ENG");
        var issues = Enumerable.Range(1, 230).Select(i => Linear.AddIssue(team, $"Issue {i}", ["optio"])).ToList();

        var tickets = await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None);

        Assert.Equal(issues.Select(i => i.Id), tickets.Select(t => t.Ticket.ExternalId));
        var pages = RequestsFor("issues").ToList();
        Assert.Equal(3, pages.Count);
        Assert.All(pages, p => Assert.Equal(100, p.Variables.GetProperty("first").GetInt32()));
        Assert.Equal(issues[99].Id, pages[1].Variables.GetProperty("after").GetString());
        Assert.Equal(issues[199].Id, pages[2].Variables.GetProperty("after").GetString());
    }

    [Fact]
    public async Task Fetch_matches_the_label_in_any_case()
    {
        var team = Linear.AddTeam("ENG");
        var lower = Linear.AddIssue(team, "lower", ["optio"]);
        var upper = Linear.AddIssue(team, "upper", ["bug", "OPTIO"]);
        var mixed = Linear.AddIssue(team, "mixed", ["Optio"]);
        Linear.AddIssue(team, "similar", ["optio-later"]);
        Linear.AddIssue(team, "other", ["bug"]);
        Linear.AddIssue(team, "none", []);

        var tickets = await Client.FetchOpenIssuesAsync(Linear.Settings(label: "Optio"), CancellationToken.None);

        Assert.Equal([lower.Id, upper.Id, mixed.Id], tickets.Select(t => t.Ticket.ExternalId));
    }

    [Fact]
    public async Task Fetch_skips_completed_and_canceled_issues()
    {
        var team = Linear.AddTeam("ENG");
        team.AddState("Triage", "triage", 5);
        team.AddState("Shipped", "completed", 6);
        team.AddState("Duplicate", "canceled", 7);
        var open = new[] { "Triage", "Backlog", "Todo", "In Progress" }
            .Select(s => Linear.AddIssue(team, s, ["optio"], team.State(s))).ToList();
        foreach (var done in new[] { "Done", "Shipped", "Canceled", "Duplicate" })
            Linear.AddIssue(team, done, ["optio"], team.State(done));

        var tickets = await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None);

        Assert.Equal(open.Select(i => i.Id), tickets.Select(t => t.Ticket.ExternalId));
    }

    [Fact]
    public async Task Fetch_is_scoped_to_the_team_when_one_is_set()
    {
        var eng = Linear.AddTeam("ENG");
        var ops = Linear.AddTeam("OPS");
        var ours = Linear.AddIssue(eng, "ours", ["optio"]);
        var theirs = Linear.AddIssue(ops, "theirs", ["optio"]);

        var scoped = await Client.FetchOpenIssuesAsync(Linear.Settings(teamId: eng.Id), CancellationToken.None);
        var all = await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None);

        Assert.Equal([ours.Id], scoped.Select(t => t.Ticket.ExternalId));
        Assert.Equal([ours.Id, theirs.Id], all.Select(t => t.Ticket.ExternalId));
    }

    [Fact]
    public async Task Fetch_is_scoped_to_the_project_when_one_is_set()
    {
        var team = Linear.AddTeam("ENG");
        var agents = new FakeLinearProject { Name = "Agents" };
        var other = new FakeLinearProject { Name = "Other" };
        var inProject = Linear.AddIssue(team, "in project", ["optio"]);
        inProject.Project = agents;
        Linear.AddIssue(team, "other project", ["optio"]).Project = other;
        Linear.AddIssue(team, "no project", ["optio"]);

        var tickets = await Client.FetchOpenIssuesAsync(Linear.Settings(projectId: agents.Id), CancellationToken.None);

        Assert.Equal([inProject.Id], tickets.Select(t => t.Ticket.ExternalId));
    }

    [Fact]
    public async Task Fetch_maps_an_issue_to_an_incoming_ticket()
    {
        var team = Linear.AddTeam("ENG");
        var issue = Linear.AddIssue(team, "Fix the login redirect", ["optio", "Frontend"], number: 42);
        issue.Description = "Users land on /404 after login.";
        issue.Priority = 2;
        issue.Assignee = new FakeLinearUser { Name = "Ada Lovelace", Email = "ada@example.com" };
        issue.Project = new FakeLinearProject { Name = "Auth revamp" };

        var ticket = Assert.Single(await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None));

        Assert.Equal(new TicketRef("linear", issue.Uuid.ToString("D"), "ENG-42", issue.Url), ticket.Ticket);
        Assert.Equal(TicketKey.Linear(issue.Uuid), ticket.Ticket.Key);
        Assert.Equal("Fix the login redirect", ticket.Title);
        Assert.Equal("Users land on /404 after login.", ticket.Prompt);
        Assert.Equal(["optio", "Frontend"], ticket.Metadata.Labels);
        Assert.Equal("Ada Lovelace", ticket.Metadata.Assignee);
        Assert.Equal(2, ticket.Metadata.Priority);
        Assert.Equal("ENG", ticket.Metadata.Team);
        Assert.Equal("Auth revamp", ticket.Metadata.Project);
        Assert.Null(ticket.RepoUrl);
        Assert.Empty(ticket.LinkedTickets);
    }

    [Fact]
    public async Task Fetch_maps_what_an_issue_lacks_to_empty_values()
    {
        var team = Linear.AddTeam("ENG");
        Linear.AddIssue(team, "Bare", ["optio"]);

        var ticket = Assert.Single(await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None));

        Assert.Equal("", ticket.Prompt);
        Assert.Null(ticket.Metadata.Assignee);
        Assert.Null(ticket.Metadata.Project);
        Assert.Equal(0, ticket.Metadata.Priority);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Fetch_keeps_Linears_priority_scale(int priority)
    {
        var team = Linear.AddTeam("ENG");
        Linear.AddIssue(team, "p", ["optio"]).Priority = priority;

        var ticket = Assert.Single(await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None));

        Assert.Equal(priority, ticket.Metadata.Priority);
    }

    [Fact]
    public async Task Fetch_falls_back_to_the_assignees_email_without_a_name()
    {
        var team = Linear.AddTeam("ENG");
        Linear.AddIssue(team, "p", ["optio"]).Assignee = new FakeLinearUser { Name = "", Email = "bot@example.com" };

        var ticket = Assert.Single(await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None));

        Assert.Equal("bot@example.com", ticket.Metadata.Assignee);
    }

    [Fact]
    public async Task Fetch_links_GitHub_issue_attachments_and_takes_the_repo_from_the_first()
    {
        var team = Linear.AddTeam("ENG");
        Linear.AddIssue(team, "Linked", ["optio"])
            .Attach("https://acme.slack.com/archives/C1/p1", "Slack thread")
            .Attach("https://github.com/acme/webapp/pull/7", "PR")
            .Attach("https://github.com/Acme/WebApp/issues/12", "GitHub issue")
            .Attach("https://github.com/acme/api/issues/3", "Other GitHub issue")
            .Attach("https://github.com/acme/api/issues/3/", "Same issue again");

        var ticket = Assert.Single(await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None));

        Assert.Equal([TicketKey.GitHub("acme", "webapp", 12), TicketKey.GitHub("acme", "api", 3)], ticket.LinkedTickets);
        Assert.Equal("https://github.com/acme/webapp", ticket.RepoUrl);
    }

    [Fact]
    public async Task Requests_send_a_personal_key_without_Bearer()
    {
        Linear.AddIssue(Linear.AddTeam("ENG"), "x", ["optio"]);

        await Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None);

        var request = Assert.Single(Linear.Requests);
        Assert.Equal(FakeLinear.DefaultApiKey, request.Authorization);
        Assert.StartsWith("application/json", request.Headers["Content-Type"]);
        Assert.Equal(JsonValueKind.Object, request.Variables.GetProperty("filter").ValueKind);
    }
}
