using System.Text.Json;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.Linear;

/// <summary>A Linear issue as it is now: the ticket it makes, and what decides whether a provider still wants it.</summary>
/// <param name="StateType">triage, backlog, unstarted, started, completed or canceled.</param>
public sealed record LinearIssueNow(IncomingTicket Ticket, string TeamId, string? ProjectId, string StateType, IReadOnlyList<string> Labels)
{
    /// <summary>What a provider's sync would import: the label (any case), not done, in the team and project when set.</summary>
    public bool IsWantedBy(string label, string? teamId, string? projectId) =>
        Labels.Contains(label, StringComparer.OrdinalIgnoreCase)
        && StateType is not ("completed" or "canceled")
        && (string.IsNullOrWhiteSpace(teamId) || teamId.Trim() == TeamId)
        && (string.IsNullOrWhiteSpace(projectId) || projectId.Trim() == ProjectId);
}

public sealed partial class LinearClient
{
    sealed record IssueNowData(JsonElement? Issue);
    sealed record IssueScope(IdRef Team, IdRef? Project, TypeRef State);
    sealed record IdRef(string Id);
    sealed record TypeRef(string Type);

    /// <summary>The issue (by UUID or identifier) as it is now; null when Linear no longer has it.</summary>
    public async Task<LinearIssueNow?> FetchIssueAsync(LinearSettings settings, Guid issueId, CancellationToken ct)
    {
        IssueNowData data;
        try
        {
            data = await SendAsync<IssueNowData>(settings, LinearQueries.IssueNow, new { id = issueId.ToString("D") }, ct);
        }
        catch (LinearApiException e) when (e is not LinearRateLimitedException && e.Message.Contains("Entity not found", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (data.Issue is not { ValueKind: JsonValueKind.Object } json) return null;
        try
        {
            var issue = json.Deserialize<LinearIssue>(Json)!;
            var scope = json.Deserialize<IssueScope>(Json)!;
            return new LinearIssueNow(LinearIssueMapping.ToIncomingTicket(issue, gitHubWeb ?? GitHub.GitHubWeb.GitHubCom),
                scope.Team.Id, scope.Project?.Id, scope.State.Type, [.. issue.Labels.Nodes.Select(l => l.Name)]);
        }
        catch (JsonException e)
        {
            throw new LinearApiException($"Linear's answer for issue {issueId} did not have the expected shape: {e.Message}", inner: e);
        }
    }
}
