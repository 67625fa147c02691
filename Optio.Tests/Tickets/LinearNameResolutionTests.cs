using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Tickets;

/// <summary>A Linear provider set up with a team key or name and a project name: resolved through discovery, ids stored and shown.</summary>
[Collection(TicketsCollection.Name)]
public class LinearNameResolutionTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    static string NewKey(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..6].ToUpperInvariant();

    async Task<JsonElement> CreateAsync(object config, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "linear", config, enabled = false, apiUrl = api.Linear.ApiUrl.ToString() }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.Clone();
    }

    async Task<string> GetAsync(string url) => (await Host.GetAsJson<JsonElement>(url)).GetRawText();

    async Task<bool> AnyProviderWithLabelAsync(string label) =>
        JsonDocument.Parse(await GetAsync("/api/tickets/providers")).RootElement.EnumerateArray()
            .Any(p => p.GetProperty("config").TryGetProperty("label", out var l) && l.GetString() == label);

    [Fact]
    public async Task A_team_given_by_its_key_in_any_case_is_stored_and_shown_as_its_id()
    {
        var team = api.Linear.AddTeam(NewKey("K"));

        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = team.Key.ToLowerInvariant() }, 201);

        Assert.Equal(team.Id, created.GetProperty("config").GetProperty("teamId").GetString());
        var shown = JsonDocument.Parse(await GetAsync($"/api/tickets/providers/{created.GetProperty("id").GetString()}")).RootElement;
        Assert.Equal(team.Id, shown.GetProperty("config").GetProperty("teamId").GetString());
    }

    [Fact]
    public async Task A_team_by_name_and_a_project_by_name_are_stored_as_their_ids_on_create_and_on_update()
    {
        var team = api.Linear.AddTeam(NewKey("N"));
        team.Name = $"Engineering {team.Key}";
        var project = new FakeLinearProject { Name = $"Roadmap {team.Key}" };
        team.Projects.Add(new FakeLinearProject { Name = "Other" });
        team.Projects.Add(project);

        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = team.Name.ToUpperInvariant(), project = project.Name }, 201);

        var config = created.GetProperty("config");
        Assert.Equal((team.Id, project.Id), (config.GetProperty("teamId").GetString(), config.GetProperty("projectId").GetString()));

        var second = new FakeLinearProject { Name = $"Second {team.Key}" };
        team.Projects.Add(second);
        var updated = await Host.Scenario(s =>
        {
            s.Patch.Json(new { config = new { apiKeySecret = config.GetProperty("apiKeySecret").GetString(), team = team.Key, project = second.Name } })
                .ToUrl($"/api/tickets/providers/{created.GetProperty("id").GetString()}");
            s.StatusCodeShouldBeOk();
        });
        var after = JsonDocument.Parse(await updated.ReadAsTextAsync()).RootElement.GetProperty("config");
        Assert.Equal((team.Id, second.Id), (after.GetProperty("teamId").GetString(), after.GetProperty("projectId").GetString()));
    }

    [Fact]
    public async Task Saving_with_ids_only_and_the_default_label_makes_no_call_to_Linear()
    {
        var before = api.Linear.Requests.Count;
        await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, teamId = "team-by-id", projectId = "project-by-id" }, 201);
        Assert.DoesNotContain(api.Linear.Requests.Skip(before), r => r.RootField is "teams" or "issueLabels");
    }

    [Fact]
    public async Task An_unknown_team_is_a_400_team_not_found_listing_the_teams_and_writing_nothing()
    {
        var team = api.Linear.AddTeam(NewKey("U"));
        var label = $"unknown-team-{Guid.NewGuid():N}";

        var problem = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = "NO-SUCH-TEAM", label }, 400);

        Assert.Equal("team_not_found", problem.GetProperty("errorCode").GetString());
        Assert.Contains("NO-SUCH-TEAM", problem.GetProperty("detail").GetString());
        Assert.Contains(problem.GetProperty("available").EnumerateArray(),
            t => t.GetProperty("id").GetString() == team.Id && t.GetProperty("key").GetString() == team.Key && t.GetProperty("name").GetString() == team.Name);
        Assert.False(await AnyProviderWithLabelAsync(label));
    }

    [Fact]
    public async Task An_unknown_project_is_a_400_project_not_found_listing_the_teams_projects_and_writing_nothing()
    {
        var team = api.Linear.AddTeam(NewKey("P"));
        var project = new FakeLinearProject { Name = "Platform" };
        team.Projects.Add(project);
        var label = $"unknown-project-{Guid.NewGuid():N}";

        var problem = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = team.Key, project = "Nope", label }, 400);

        Assert.Equal("project_not_found", problem.GetProperty("errorCode").GetString());
        var available = problem.GetProperty("available").EnumerateArray().ToList();
        Assert.Equal([(project.Id, "Platform")], available.Select(p => (p.GetProperty("id").GetString(), p.GetProperty("name").GetString())));
        Assert.False(await AnyProviderWithLabelAsync(label));
    }

    [Fact]
    public async Task A_name_and_an_id_for_the_same_field_is_a_400()
    {
        var problem = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = "ENG", teamId = "t" }, 400);
        Assert.Contains("not both", problem.GetProperty("detail").GetString());
    }
}
