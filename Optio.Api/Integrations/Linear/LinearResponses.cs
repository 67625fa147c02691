namespace Optio.Api.Integrations.Linear;

// The shapes of the `data` Linear returns for LinearQueries; names follow the GraphQL fields.

sealed record NodeList<T>(IReadOnlyList<T> Nodes);

sealed record PageInfo(bool HasNextPage, string? EndCursor);

sealed record OpenIssuesData(IssueConnection Issues);

sealed record IssueConnection(IReadOnlyList<LinearIssue> Nodes, PageInfo PageInfo);

sealed record LinearIssue(
    string Id,
    string Identifier,
    string Title,
    string? Description,
    string Url,
    double Priority,
    LinearUser? Assignee,
    LinearTeam Team,
    LinearProject? Project,
    NodeList<LinearLabel> Labels,
    NodeList<LinearAttachment> Attachments,
    NodeList<LinearRelation>? InverseRelations = null);

/// <summary>Another issue's relation to this one: <see cref="Type"/> <c>blocks</c> means <see cref="Issue"/> blocks it.</summary>
sealed record LinearRelation(string Type, LinearRelatedIssue Issue);

sealed record LinearRelatedIssue(string Id, string Identifier, string Url, LinearStateType State);

sealed record LinearStateType(string Type);

sealed record LinearUser(string? Name, string? Email);

sealed record LinearTeam(string Key);

sealed record LinearProject(string Name);

sealed record LinearLabel(string Name);

sealed record LinearAttachment(string Url);

sealed record IssueWorkflowData(IssueWorkflow Issue);

sealed record IssueWorkflow(string Id, string Identifier, WorkflowStateRef State, TeamWorkflow Team);

sealed record WorkflowStateRef(string Id, string Type);

sealed record TeamWorkflow(string Key, NodeList<WorkflowState> States);

sealed record WorkflowState(string Id, string Name, string Type, double Position);

sealed record CompleteIssueData(IssueUpdatePayload IssueUpdate);

sealed record IssueUpdatePayload(bool Success);
