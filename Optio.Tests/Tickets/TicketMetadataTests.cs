using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>What a provider says about a ticket (labels, assignee, priority, team, project, milestone) reaches the task API and follows edits.</summary>
[Collection(TicketsCollection.Name)]
public class TicketMetadataTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task A_github_issue_shows_its_labels_assignee_and_milestone_on_the_task_and_in_the_list_and_follows_edits()
    {
        var repo = $"meta{Guid.NewGuid():N}"[..16];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddMilestone("acme", repo, 3, "v2.0");
        api.GitHub.AddIssue("acme", repo, "Tag me", "body", ["optio", "bug"], assignee: "alice", milestone: 3);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        var id = TicketKey.GitHub("acme", repo, 1).TaskId;

        var ticket = await TicketOfAsync(id);
        Assert.Equal(("github", $"github:acme/{repo}#1", $"acme/{repo}#1"), (Text(ticket, "source"), Text(ticket, "key"), Text(ticket, "identifier")));
        Assert.EndsWith($"/acme/{repo}/issues/1", Text(ticket, "url"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["optio", "bug"], Labels(ticket));
        Assert.Equal(("alice", "v2.0"), (Text(ticket, "assignee"), Text(ticket, "milestone")));
        Assert.Equal(ticket.ToString(), (await ListedTicketAsync(id, "github")).ToString());

        api.GitHub.Edit("acme", repo, 1, i => { i.Labels = ["optio", "urgent"]; i.Assignees = ["bob"]; i.Milestone = null; });
        await api.SyncNowAsync(provider);

        ticket = await TicketOfAsync(id);
        Assert.Equal(["optio", "urgent"], Labels(ticket));
        Assert.Equal(("bob", null), (Text(ticket, "assignee"), Text(ticket, "milestone")));
        Assert.Equal(ticket.ToString(), (await ListedTicketAsync(id, "github")).ToString());
        Assert.Contains("ticket_updated", await EventTypesAsync(id));
    }

    [Fact]
    public async Task A_linear_issue_shows_its_priority_team_project_labels_and_assignee_and_follows_edits()
    {
        var team = api.Linear.AddTeam($"M{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = api.Linear.AddIssue(team, "Prioritise me", ["optio", "Backend"]);
        issue.Priority = 1;
        issue.Assignee = new FakeLinearUser { Name = "Ada Lovelace", Email = "ada@example.com" };
        issue.Project = new FakeLinearProject { Name = "Auth revamp" };
        var provider = await api.CreateLinearProviderAsync(team.Id);
        await api.FirstSyncAsync(provider);
        var id = TicketKey.Linear(issue.Uuid).TaskId;

        var ticket = await TicketOfAsync(id);
        Assert.Equal(("linear", $"linear:{issue.Id}", issue.Identifier, issue.Url),
            (Text(ticket, "source"), Text(ticket, "key"), Text(ticket, "identifier"), Text(ticket, "url")));
        Assert.Equal((1, team.Key, "Auth revamp", "Ada Lovelace"),
            (ticket.GetProperty("priority").GetInt32(), Text(ticket, "team"), Text(ticket, "project"), Text(ticket, "assignee")));
        Assert.Equal(["optio", "Backend"], Labels(ticket));
        Assert.Equal(ticket.ToString(), (await ListedTicketAsync(id, "linear")).ToString());

        issue.Priority = 3;
        await api.SyncNowAsync(provider);

        Assert.Equal(3, (await TicketOfAsync(id)).GetProperty("priority").GetInt32());
        Assert.Equal(3, (await ListedTicketAsync(id, "linear")).GetProperty("priority").GetInt32());
    }

    async Task<JsonElement> TicketOfAsync(Guid id) =>
        (await JsonAsync($"/api/tasks/{id}")).GetProperty("ticket");

    async Task<JsonElement> ListedTicketAsync(Guid id, string source) =>
        (await JsonAsync($"/api/tasks?source={source}&pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("id").GetGuid() == id).GetProperty("ticket");

    async Task<List<string?>> EventTypesAsync(Guid id) =>
        [.. (await JsonAsync($"/api/tasks/{id}/events")).EnumerateArray().Select(e => e.GetProperty("type").GetString())];

    async Task<JsonElement> JsonAsync(string url) =>
        JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url(url))).ReadAsTextAsync()).RootElement.Clone();

    static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p.GetString() : null;

    static string[] Labels(JsonElement ticket) => [.. ticket.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)];
}
