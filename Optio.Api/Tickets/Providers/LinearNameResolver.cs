using Optio.Api.Core.Http;
using Optio.Api.Integrations.Linear;
using Optio.Api.Tickets.Linear;

namespace Optio.Api.Tickets.Providers;

/// <summary>
/// Turns a Linear provider's team (key or name) and project (name) into ids through discovery, so ids are what is stored,
/// and checks that a label the config names exists where the provider's issues can carry it. Asked only when a name is
/// given: a config with ids alone and the default label never calls Linear. The label is stored as the name given, since
/// sync filters issues by label name (any case); only its existence is checked here.
/// </summary>
public static class LinearNameResolver
{
    public static async Task<(LinearProviderConfig? Resolved, IResult? Problem)> ResolveAsync(
        LinearProviderConfig config, ProviderConfigInput.LinearNames names, LinearSettings settings, LinearAccess linear, CancellationToken ct)
    {
        var client = linear.Client();
        IReadOnlyList<LinearTeamInfo> teams;
        IReadOnlyList<LinearLabelInfo> workspaceLabels;
        try
        {
            teams = await client.DiscoverAsync(settings, ct);
            workspaceLabels = names.Label is null ? [] : await client.WorkspaceLabelsAsync(settings, ct);
        }
        catch (LinearApiException e)
        {
            return (null, Problems.Result(502, "Linear unavailable", $"Could not look up the team, project and label names in Linear: {e.Message}"));
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

        if (names.Label is { } labelName && LabelProblem(labelName, teamId, teams, workspaceLabels) is { } labelProblem)
            return (null, labelProblem);
        return (config with { TeamId = teamId, ProjectId = projectId }, null);
    }

    /// <summary>
    /// The labels the provider's issues can carry: the team's own and the workspace's (every team's when no team is set).
    /// Matched in any case, as sync matches them. <c>team</c> in each available label is its team's key (absent for a workspace label).
    /// </summary>
    static IResult? LabelProblem(string labelName, string? teamId, IReadOnlyList<LinearTeamInfo> teams, IReadOnlyList<LinearLabelInfo> workspaceLabels)
    {
        var inScope = teams.Where(t => teamId is null || t.Id == teamId)
            .SelectMany(t => t.Labels.Select(l => new { l.Id, l.Name, Team = (string?)t.Key }))
            .Concat(workspaceLabels.Select(l => new { l.Id, l.Name, Team = (string?)null }))
            .DistinctBy(l => l.Id).ToList();
        if (inScope.Any(l => string.Equals(l.Name, labelName, StringComparison.OrdinalIgnoreCase))) return null;
        var where = teamId is null ? "in any team or the workspace"
            : $"in team {teams.FirstOrDefault(t => t.Id == teamId)?.Key ?? teamId} or the workspace";
        return Problems.BadRequest(
            $"'config.label': Linear has no label named '{labelName}' {where}, so no issue could carry it and sync would import nothing. " +
            "Create the label in Linear, or give one of 'available'.", "label_not_found",
            new Dictionary<string, object?> { ["available"] = inScope.ToArray() });
    }
}
