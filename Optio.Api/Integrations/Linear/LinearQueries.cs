using System.Text.Json.Nodes;

namespace Optio.Api.Integrations.Linear;

/// <summary>Every GraphQL document Optio sends to Linear, in one place so tests validate each against Linear's schema.</summary>
public static class LinearQueries
{
    public const int PageSize = 100;

    /// <summary>
    /// One page of open issues. Linear caps each query's complexity and nested connections multiply
    /// by their page size (100 issues × 25), so labels, attachments and relations stay at 25 per issue. An issue's
    /// <c>inverseRelations</c> are the relations other issues have to it: type <c>blocks</c> names a blocker.
    /// </summary>
    public const string OpenIssues = $$"""
        query OptioOpenIssues($filter: IssueFilter!, $first: Int!, $after: String) {
          issues(filter: $filter, first: $first, after: $after) {
            nodes {
              ...OptioIssueFields
              team { key }
              project { name }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        {{IssueFields}}
        """;

    /// <summary>What the sync decides an issue on, read the same way by every query of an issue (a field added here reaches all).</summary>
    const string IssueFields = """
        fragment OptioIssueFields on Issue {
          id
          identifier
          title
          description
          url
          priority
          assignee { name email }
          labels(first: 25) { nodes { name } }
          attachments(first: 25, filter: { url: { containsIgnoreCase: "/issues/" } }) { nodes { url } }
          inverseRelations(first: 25) { nodes { type issue { id identifier url state { type } } } }
        }
        """;

    /// <summary>An issue's current state and the completed states of the team it is in now.</summary>
    public const string IssueWorkflow = """
        query OptioIssueWorkflow($id: String!) {
          issue(id: $id) {
            id
            identifier
            state { id type }
            team {
              key
              states(first: 100, filter: { type: { eq: "completed" } }) { nodes { id name type position } }
            }
          }
        }
        """;

    public const string CompleteIssue = """
        mutation OptioCompleteIssue($id: String!, $stateId: String!) {
          issueUpdate(id: $id, input: { stateId: $stateId }) { success }
        }
        """;

    /// <summary>One issue as the sync would see it, with what decides whether a provider still wants it (state, team, project).</summary>
    public const string IssueNow = $$"""
        query OptioIssueNow($id: String!) {
          issue(id: $id) {
            ...OptioIssueFields
            team { id key }
            project { id name }
            state { type }
          }
        }
        {{IssueFields}}
        """;

    /// <summary>An issue's current state and the started states of the team it is in now.</summary>
    public const string IssueStartedStates = """
        query OptioIssueStartedStates($id: String!) {
          issue(id: $id) {
            id
            identifier
            state { id type }
            team {
              key
              states(first: 100, filter: { type: { eq: "started" } }) { nodes { id name type position } }
            }
          }
        }
        """;

    public const string CreateComment = """
        mutation OptioCreateComment($issueId: String!, $body: String!) {
          commentCreate(input: { issueId: $issueId, body: $body }) { success comment { id } }
        }
        """;

    public const string UpdateComment = """
        mutation OptioUpdateComment($id: String!, $body: String!) {
          commentUpdate(id: $id, input: { body: $body }) { success comment { id } }
        }
        """;

    /// <summary>A page of the workspace's teams with the first page of each one's projects, workflow states and labels.</summary>
    public const string Teams = """
        query OptioTeams($first: Int!, $after: String) {
          teams(first: $first, after: $after) {
            nodes {
              id
              key
              name
              projects(first: 50) { nodes { id name status { type } } pageInfo { hasNextPage endCursor } }
              states(first: 50) { nodes { id name type position } pageInfo { hasNextPage endCursor } }
              labels(first: 50) { nodes { id name } pageInfo { hasNextPage endCursor } }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    /// <summary>A further page of one team's projects, states and labels (each after its own cursor; a finished one asks for none).</summary>
    public const string TeamMore = """
        query OptioTeamMore($id: String!, $projects: Int!, $projectsAfter: String, $states: Int!, $statesAfter: String, $labels: Int!, $labelsAfter: String) {
          team(id: $id) {
            projects(first: $projects, after: $projectsAfter) { nodes { id name status { type } } pageInfo { hasNextPage endCursor } }
            states(first: $states, after: $statesAfter) { nodes { id name type position } pageInfo { hasNextPage endCursor } }
            labels(first: $labels, after: $labelsAfter) { nodes { id name } pageInfo { hasNextPage endCursor } }
          }
        }
        """;

    /// <summary>A page of the workspace-wide labels: those of no team, which every team's issues may carry.</summary>
    public const string WorkspaceLabels = """
        query OptioWorkspaceLabels($first: Int!, $after: String) {
          issueLabels(first: $first, after: $after, filter: { team: { null: true } }) {
            nodes { id name }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;

    /// <summary>The <c>IssueFilter</c> for <see cref="OpenIssues"/>: the label in any case, not done, in the team and project when set.</summary>
    public static JsonObject OpenIssuesFilter(LinearSettings settings)
    {
        var filter = new JsonObject
        {
            ["labels"] = new JsonObject { ["some"] = new JsonObject { ["name"] = new JsonObject { ["eqIgnoreCase"] = settings.Label } } },
            ["state"] = new JsonObject { ["type"] = new JsonObject { ["nin"] = new JsonArray("completed", "canceled") } },
        };
        if (!string.IsNullOrWhiteSpace(settings.TeamId))
            filter["team"] = new JsonObject { ["id"] = new JsonObject { ["eq"] = settings.TeamId.Trim() } };
        if (!string.IsNullOrWhiteSpace(settings.ProjectId))
            filter["project"] = new JsonObject { ["id"] = new JsonObject { ["eq"] = settings.ProjectId.Trim() } };
        return filter;
    }
}
