using Optio.Api.Integrations.GitHub;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.Linear;

/// <summary>Linear's GraphQL API, typed for what Optio needs: open labelled issues in, completed issues out.</summary>
/// <param name="gitHubWeb">The web host of the GitHub whose issue links join tickets (github.com unless configured).</param>
public sealed partial class LinearClient(HttpClient http, Uri? gitHubWeb = null)
{
    /// <summary>The named HttpClient Linear is called with.</summary>
    public const string HttpClientName = "linear";

    /// <summary>Every issue with the label (any case), not completed or canceled, in the team and project when set; all pages.</summary>
    public async Task<IReadOnlyList<IncomingTicket>> FetchOpenIssuesAsync(LinearSettings settings, CancellationToken ct)
    {
        var filter = LinearQueries.OpenIssuesFilter(settings);
        var tickets = new List<IncomingTicket>();
        string? after = null;
        while (true)
        {
            var page = (await SendAsync<OpenIssuesData>(settings, LinearQueries.OpenIssues,
                new { filter, first = LinearQueries.PageSize, after }, ct)).Issues;
            tickets.AddRange(page.Nodes.Select(i => LinearIssueMapping.ToIncomingTicket(i, gitHubWeb ?? GitHub.GitHubWeb.GitHubCom)));
            if (!page.PageInfo.HasNextPage) return tickets;
            if (page.PageInfo.EndCursor is not { Length: > 0 } next || next == after)
                throw new LinearApiException("Linear said more issues follow but gave no new cursor to fetch them with.");
            after = next;
        }
    }

    /// <summary>
    /// Moves the issue to its current team's first completed state (lowest position); does nothing
    /// when it is already in a completed state.
    /// </summary>
    public async Task CompleteIssueAsync(LinearSettings settings, Guid issueId, CancellationToken ct)
    {
        var issue = (await SendAsync<IssueWorkflowData>(settings, LinearQueries.IssueWorkflow, new { id = issueId.ToString("D") }, ct)).Issue;
        if (IsCompleted(issue.State.Type)) return;

        var done = issue.Team.States.Nodes.Where(s => IsCompleted(s.Type)).MinBy(s => s.Position)
            ?? throw new LinearApiException($"Linear team {issue.Team.Key} has no workflow state of type 'completed' to move {issue.Identifier} to.");
        var update = (await SendAsync<CompleteIssueData>(settings, LinearQueries.CompleteIssue, new { id = issue.Id, stateId = done.Id }, ct)).IssueUpdate;
        if (!update.Success)
            throw new LinearApiException($"Linear did not move {issue.Identifier} to '{done.Name}' (issueUpdate reported no success).");
    }

    static bool IsCompleted(string stateType) => stateType.Equals("completed", StringComparison.OrdinalIgnoreCase);
}
