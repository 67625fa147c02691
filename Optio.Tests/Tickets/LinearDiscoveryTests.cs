using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Tickets;

/// <summary><c>POST /api/tickets/linear/discover</c>: the workspace's teams, projects, states and labels, paged through, the key never echoed.</summary>
[Collection(TicketsCollection.Name)]
public class LinearDiscoveryTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Discovery_lists_every_team_with_all_its_projects_states_by_position_and_labels_and_never_echoes_the_key()
    {
        var team = api.Linear.AddTeam($"D{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        // More than a page of each (50), so discovery must page through them.
        for (var i = 0; i < 55; i++) team.Projects.Add(new FakeLinearProject { Name = $"Project {i}" });
        team.Projects.Add(new FakeLinearProject { Name = "Shipped", Status = new() { Type = "completed" } });
        for (var i = 0; i < 60; i++) team.Labels.Add(new FakeLinearLabel { Name = $"label-{i}" });
        for (var i = 0; i < 50; i++) team.AddState($"Review {i}", "started", 10 - i / 100.0);
        for (var i = 0; i < 25; i++) api.Linear.AddTeam($"X{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var requestsBefore = api.Linear.Requests.Count;

        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { apiKey = FakeLinear.DefaultApiKey, apiUrl = api.Linear.ApiUrl.ToString() }).ToUrl("/api/tickets/linear/discover");
            s.StatusCodeShouldBeOk();
        });

        var text = await result.ReadAsTextAsync();
        Assert.DoesNotContain(FakeLinear.DefaultApiKey, text);
        var teams = JsonDocument.Parse(text).RootElement.GetProperty("teams").EnumerateArray().ToList();
        Assert.True(teams.Count >= 26);
        var found = teams.Single(t => t.GetProperty("key").GetString() == team.Key);
        Assert.Equal((team.Id, team.Name), (found.GetProperty("id").GetString(), found.GetProperty("name").GetString()));
        var projects = found.GetProperty("projects").EnumerateArray().ToList();
        Assert.Equal(56, projects.Count);
        Assert.Equal("completed", projects.Single(p => p.GetProperty("name").GetString() == "Shipped").GetProperty("state").GetString());
        Assert.Equal(60, found.GetProperty("labels").GetArrayLength());
        var positions = found.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("position").GetDouble()).ToList();
        Assert.Equal(55, positions.Count);
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(["id", "name", "type", "position"], found.GetProperty("states")[0].EnumerateObject().Select(p => p.Name));
        Assert.Contains(api.Linear.Requests.Skip(requestsBefore), r => r.OperationName == "OptioTeamMore" || r.Query!.Contains("OptioTeamMore"));
    }

    [Fact]
    public async Task Discovery_reads_the_key_from_a_stored_secret_and_lists_the_workspace_labels()
    {
        var team = api.Linear.AddTeam($"S{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var workspaceLabel = api.Linear.AddWorkspaceLabel($"workspace-{Guid.NewGuid():N}");
        await Host.Scenario(s =>
        {
            s.Put.Json(new { value = FakeLinear.DefaultApiKey }).ToUrl("/api/secrets/linear-discovery-key");
            s.StatusCodeShouldBeOk();
        });

        var body = await Host.PostAsync("/api/tickets/linear/discover", new { apiKeySecret = "linear-discovery-key", apiUrl = api.Linear.ApiUrl.ToString() });

        var workspace = JsonDocument.Parse(body).RootElement;
        Assert.Contains(workspace.GetProperty("teams").EnumerateArray(), t => t.GetProperty("id").GetString() == team.Id);
        Assert.Contains(workspace.GetProperty("labels").EnumerateArray(),
            l => l.GetProperty("id").GetString() == workspaceLabel.Id && l.GetProperty("name").GetString() == workspaceLabel.Name);
    }

    [Theory]
    [InlineData("""{}""", "Send 'apiKey'")]
    [InlineData("""{"apiKey": "k", "apiKeySecret": "s"}""", "not both")]
    [InlineData("""{"apiKeySecret": "never-stored"}""", "no secret named 'never-stored'")]
    [InlineData("""{"apiKey": "k", "apiUrl": "ftp://x"}""", "'apiUrl'")]
    public async Task Discovery_without_a_usable_key_is_a_400(string request, string expected)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(request).ToUrl("/api/tickets/linear/discover");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });

        Assert.Contains(expected, await result.ReadAsTextAsync());
    }
}
