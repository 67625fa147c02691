using Optio.Api.Core.Http;
using Optio.Api.Integrations.Linear;
using Optio.Api.Tickets.Linear;

namespace Optio.Api.Tickets.Providers;

/// <summary>
/// Turns a Linear provider's team (key or name) and project (name) into ids through discovery, so ids are what is stored.
/// Asked only when a name is given: a config with ids alone never calls Linear. The label needs nothing: it is matched
/// by name (any case) at every sync.
/// </summary>
public static class LinearNameResolver
{
    public static async Task<(LinearProviderConfig? Resolved, IResult? Problem)> ResolveAsync(
        LinearProviderConfig config, ProviderConfigInput.LinearNames names, LinearSettings settings, LinearAccess linear, CancellationToken ct)
    {
        IReadOnlyList<LinearTeamInfo> teams;
        try
        {
            teams = await linear.Client().DiscoverAsync(settings, ct);
        }
        catch (LinearApiException e)
        {
            return (null, Problems.Result(502, "Linear unavailable", $"Could not look up the team and project names in Linear: {e.Message}"));
        }

        var teamId = config.TeamId;
        if (names.Team is { } teamName)
        {
            var team = teams.FirstOrDefault(t => string.Equals(t.Key, teamName, StringComparison.OrdinalIgnoreCase))
                ?? teams.FirstOrDefault(t => string.Equals(t.Name, teamName, StringComparison.OrdinalIgnoreCase));
            if (team is null)
                return (null, Problems.BadRequest($"'config.team': no Linear team has the key or name '{teamName}'.", "team_not_found",
                    new Dictionary<string, object?> { ["available"] = teams.Select(t => new { t.Id, t.Key, t.Name }).ToArray() }));
            teamId = team.Id;
        }

        var projectId = config.ProjectId;
        if (names.Project is { } projectName)
        {
            var inScope = teams.Where(t => teamId is null || t.Id == teamId).SelectMany(t => t.Projects).DistinctBy(p => p.Id).ToList();
            if (inScope.FirstOrDefault(p => string.Equals(p.Name, projectName, StringComparison.OrdinalIgnoreCase)) is not { } project)
                return (null, Problems.BadRequest(
                    $"'config.project': no Linear project named '{projectName}'{(teamId is null ? "" : " in that team")}.", "project_not_found",
                    new Dictionary<string, object?> { ["available"] = inScope.Select(p => new { p.Id, p.Name }).ToArray() }));
            projectId = project.Id;
        }
        return (config with { TeamId = teamId, ProjectId = projectId }, null);
    }
}
