using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Tickets;

/// <summary>A label named in a Linear provider's config must exist in Linear (the team's or the workspace's) when it is saved.</summary>
[Collection(TicketsCollection.Name)]
public class LinearLabelCheckTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    static string NewKey(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..6].ToUpperInvariant();

    async Task<JsonElement> CreateAsync(object config, int status, string? apiUrl = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "linear", config, enabled = false, apiUrl = apiUrl ?? api.Linear.ApiUrl.ToString() }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.Clone();
    }

    async Task<JsonElement> PatchAsync(string id, object config, int status)
    {
        var result = await Host.Scenario(s =>
        {
            s.Patch.Json(new { config }).ToUrl($"/api/tickets/providers/{id}");
            s.StatusCodeShouldBe(status);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.Clone();
    }

    async Task<string> ProvidersAndSecretsAsync() =>
        await (await Host.Scenario(s => s.Get.Url("/api/tickets/providers"))).ReadAsTextAsync()
        + await (await Host.Scenario(s => s.Get.Url("/api/secrets"))).ReadAsTextAsync();

    static string LabelOf(JsonElement provider) => provider.GetProperty("config").GetProperty("label").GetString()!;

    [Fact]
    public async Task An_unknown_label_is_a_400_label_not_found_listing_the_teams_and_the_workspaces_labels_and_writing_nothing()
    {
        var team = api.Linear.AddTeam(NewKey("L"));
        var teamLabel = new FakeLinearLabel { Name = Unique("team-label") };
        team.Labels.Add(teamLabel);
        var workspaceLabel = api.Linear.AddWorkspaceLabel(Unique("workspace-label"));
        var otherTeamLabel = new FakeLinearLabel { Name = Unique("other-team-label") };
        api.Linear.AddTeam(NewKey("O")).Labels.Add(otherTeamLabel);
        var typo = Unique("optoi");
        var secret = Unique("never-stored");

        var problem = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, apiKeySecret = secret, team = team.Key, label = typo }, 400);

        Assert.Equal("label_not_found", problem.GetProperty("errorCode").GetString());
        Assert.Contains($"'{typo}'", problem.GetProperty("detail").GetString());
        Assert.Contains($"team {team.Key}", problem.GetProperty("detail").GetString());
        var available = problem.GetProperty("available").EnumerateArray()
            .Select(l => (Id: l.GetProperty("id").GetString(), Name: l.GetProperty("name").GetString(), Team: l.TryGetProperty("team", out var t) ? t.GetString() : null)).ToList();
        Assert.Contains((teamLabel.Id, teamLabel.Name, team.Key), available);
        Assert.Contains((workspaceLabel.Id, workspaceLabel.Name, null), available);
        Assert.DoesNotContain(available, l => l.Id == otherTeamLabel.Id);
        var stored = await ProvidersAndSecretsAsync();
        Assert.DoesNotContain(typo, stored);
        Assert.DoesNotContain(secret, stored);
    }

    [Fact]
    public async Task A_team_label_given_in_another_case_is_accepted_with_a_team_id_and_stored_as_given()
    {
        var team = api.Linear.AddTeam(NewKey("T"));
        var label = new FakeLinearLabel { Name = Unique("Agent-Ready") };
        team.Labels.Add(label);

        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, teamId = team.Id, label = label.Name.ToUpperInvariant() }, 201);

        Assert.Equal(label.Name.ToUpperInvariant(), LabelOf(created));
        Assert.Equal(team.Id, created.GetProperty("config").GetProperty("teamId").GetString());
    }

    [Fact]
    public async Task A_workspace_label_past_the_first_page_is_accepted_in_any_case()
    {
        var team = api.Linear.AddTeam(NewKey("W"));
        for (var i = 0; i < 50; i++) api.Linear.AddWorkspaceLabel(Unique($"filler{i}"));
        var label = api.Linear.AddWorkspaceLabel(Unique("Workspace-Wide"));
        var before = api.Linear.Requests.Count;

        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, team = team.Key, label = label.Name.ToLowerInvariant() }, 201);

        Assert.Equal(label.Name.ToLowerInvariant(), LabelOf(created));
        Assert.Contains(api.Linear.Requests.Skip(before), r => r.RootField == "issueLabels" && r.Variables.TryGetProperty("after", out var after)
            && after.ValueKind == JsonValueKind.String);
    }

    [Fact]
    public async Task Without_a_team_a_label_of_any_team_is_accepted()
    {
        var label = new FakeLinearLabel { Name = Unique("any-team") };
        api.Linear.AddTeam(NewKey("A")).Labels.Add(label);

        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, label = label.Name }, 201);

        Assert.Equal(label.Name, LabelOf(created));
    }

    [Fact]
    public async Task A_PATCH_with_an_unknown_label_is_a_400_that_keeps_the_old_config_and_one_with_a_known_label_is_stored()
    {
        var team = api.Linear.AddTeam(NewKey("P"));
        var first = new FakeLinearLabel { Name = Unique("first") };
        team.Labels.Add(first);
        var second = api.Linear.AddWorkspaceLabel(Unique("Second"));
        var created = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, teamId = team.Id, label = first.Name }, 201);
        var id = created.GetProperty("id").GetString()!;
        var secret = created.GetProperty("config").GetProperty("apiKeySecret").GetString();

        var problem = await PatchAsync(id, new { apiKeySecret = secret, teamId = team.Id, label = "nope" }, 400);

        Assert.Equal("label_not_found", problem.GetProperty("errorCode").GetString());
        Assert.Equal(first.Name, LabelOf(await Host.GetAsJson<JsonElement>($"/api/tickets/providers/{id}")));

        var updated = await PatchAsync(id, new { apiKeySecret = secret, teamId = team.Id, label = second.Name.ToUpperInvariant() }, 200);

        Assert.Equal(second.Name.ToUpperInvariant(), LabelOf(updated));
    }

    [Fact]
    public async Task A_named_label_with_Linear_unreachable_is_a_502_writing_nothing()
    {
        var label = Unique("unreachable");

        var problem = await CreateAsync(new { apiKey = FakeLinear.DefaultApiKey, label }, 502, $"http://127.0.0.1:{FreePort.Next()}/graphql");

        Assert.Contains("Could not look up", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(label, await ProvidersAndSecretsAsync());
    }
}
