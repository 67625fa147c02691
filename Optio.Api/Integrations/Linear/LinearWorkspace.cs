namespace Optio.Api.Integrations.Linear;

/// <summary>A Linear team as discovery shows it: what a provider can be set up with, by id or by name.</summary>
public sealed record LinearTeamInfo(
    string Id, string Key, string Name,
    IReadOnlyList<LinearProjectInfo> Projects,
    IReadOnlyList<LinearStateInfo> States,
    IReadOnlyList<LinearLabelInfo> Labels);

/// <param name="State">The project's status type: backlog, planned, started, paused, completed or canceled.</param>
public sealed record LinearProjectInfo(string Id, string Name, string State);

public sealed record LinearStateInfo(string Id, string Name, string Type, double Position);

public sealed record LinearLabelInfo(string Id, string Name);

// The shapes of the `data` of LinearQueries.Teams, TeamMore and WorkspaceLabels.
sealed record TeamsData(TeamPage Teams);

sealed record TeamPage(IReadOnlyList<TeamNode> Nodes, PageInfo PageInfo);

sealed record TeamNode(string Id, string Key, string Name, Paged<ProjectNode> Projects, Paged<WorkflowState> States, Paged<LinearLabelInfo> Labels);

sealed record TeamMoreData(TeamMoreNode Team);

sealed record TeamMoreNode(Paged<ProjectNode> Projects, Paged<WorkflowState> States, Paged<LinearLabelInfo> Labels);

sealed record WorkspaceLabelsData(Paged<LinearLabelInfo> IssueLabels);

sealed record Paged<T>(IReadOnlyList<T> Nodes, PageInfo PageInfo);

sealed record ProjectNode(string Id, string Name, ProjectStatus Status);

sealed record ProjectStatus(string Type);

public sealed partial class LinearClient
{
    const int TeamsPerPage = 20;
    const int NestedPerPage = 50;

    /// <summary>Every team of the workspace with all its projects, workflow states (by position) and labels, paged through.</summary>
    public async Task<IReadOnlyList<LinearTeamInfo>> DiscoverAsync(LinearSettings settings, CancellationToken ct)
    {
        var teams = new List<LinearTeamInfo>();
        string? after = null;
        while (true)
        {
            var page = (await SendAsync<TeamsData>(settings, LinearQueries.Teams, new { first = TeamsPerPage, after }, ct)).Teams;
            foreach (var team in page.Nodes) teams.Add(await CompleteAsync(settings, team, ct));
            if (!page.PageInfo.HasNextPage) return teams;
            after = NextCursor(page.PageInfo, after, "teams");
        }
    }

    /// <summary>The workspace-wide labels (those of no team; any team's issue may carry them), paged through.</summary>
    public async Task<IReadOnlyList<LinearLabelInfo>> WorkspaceLabelsAsync(LinearSettings settings, CancellationToken ct)
    {
        var labels = new List<LinearLabelInfo>();
        string? after = null;
        while (true)
        {
            var page = (await SendAsync<WorkspaceLabelsData>(settings, LinearQueries.WorkspaceLabels, new { first = NestedPerPage, after }, ct)).IssueLabels;
            labels.AddRange(page.Nodes);
            if (!page.PageInfo.HasNextPage) return labels;
            after = NextCursor(page.PageInfo, after, "workspace labels");
        }
    }

    async Task<LinearTeamInfo> CompleteAsync(LinearSettings settings, TeamNode team, CancellationToken ct)
    {
        var (projects, states, labels) = (team.Projects.Nodes.ToList(), team.States.Nodes.ToList(), team.Labels.Nodes.ToList());
        var (p, s, l) = (team.Projects.PageInfo, team.States.PageInfo, team.Labels.PageInfo);
        while (p.HasNextPage || s.HasNextPage || l.HasNextPage)
        {
            var more = (await SendAsync<TeamMoreData>(settings, LinearQueries.TeamMore, new
            {
                id = team.Id,
                projects = p.HasNextPage ? NestedPerPage : 0, projectsAfter = p.HasNextPage ? NextCursor(p, null, "projects") : null,
                states = s.HasNextPage ? NestedPerPage : 0, statesAfter = s.HasNextPage ? NextCursor(s, null, "states") : null,
                labels = l.HasNextPage ? NestedPerPage : 0, labelsAfter = l.HasNextPage ? NextCursor(l, null, "labels") : null,
            }, ct)).Team;
            if (p.HasNextPage) { projects.AddRange(more.Projects.Nodes); p = more.Projects.PageInfo; }
            if (s.HasNextPage) { states.AddRange(more.States.Nodes); s = more.States.PageInfo; }
            if (l.HasNextPage) { labels.AddRange(more.Labels.Nodes); l = more.Labels.PageInfo; }
        }
        return new LinearTeamInfo(team.Id, team.Key, team.Name,
            [.. projects.Select(x => new LinearProjectInfo(x.Id, x.Name, x.Status.Type))],
            [.. states.OrderBy(x => x.Position).Select(x => new LinearStateInfo(x.Id, x.Name, x.Type, x.Position))],
            labels);
    }

    static string NextCursor(PageInfo page, string? previous, string what) =>
        page.EndCursor is { Length: > 0 } next && next != previous
            ? next
            : throw new LinearApiException($"Linear said more {what} follow but gave no new cursor to fetch them with.");
}
