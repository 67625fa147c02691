using System.Text.Json;
using System.Text.Json.Serialization;
using Octokit;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.GitHub;

/// <summary>
/// GitHub's <c>issue_dependencies_summary</c> of an issue, which Octokit does not model:
/// <c>{"blocked_by": open blockers, "total_blocked_by": all blockers, "blocking", "total_blocking"}</c>. Absent where
/// GitHub has no issue dependencies (older Enterprise servers).
/// </summary>
public sealed record IssueDependenciesSummary(
    [property: JsonPropertyName("blocked_by")] int BlockedBy,
    [property: JsonPropertyName("total_blocked_by")] int TotalBlockedBy);

/// <summary>Reads what blocks an issue (<c>GET /repos/{o}/{r}/issues/{n}/dependencies/blocked_by</c>), only when its summary says something does.</summary>
static class IssueDependencies
{
    /// <summary>
    /// The issue's open blockers: none without a request when its summary counts no open blocker, null when GitHub gave
    /// no summary at all (blocking unknown, so left as it was).
    /// </summary>
    public static async Task<IReadOnlyList<TicketBlocker>?> OpenBlockersAsync(IConnection connection, string owner, string repo,
        int number, IssueDependenciesSummary? summary, CancellationToken ct)
    {
        if (summary is null) return null;
        if (summary.BlockedBy == 0) return [];
        var blockers = new List<TicketBlocker>();
        var url = new Uri($"repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by?per_page=100", UriKind.Relative);
        var page = await connection.Get<List<Issue>>(url, null!, null!, ct);
        while (true)
        {
            blockers.AddRange(page.Body.Where(b => b.State.StringValue == "open").Select(Blocker).OfType<TicketBlocker>());
            if (page.HttpResponse.ApiInfo.GetNextPageUrl() is not { } next) return blockers;
            page = await connection.Get<List<Issue>>(next, null!, null!, ct);
        }
    }

    /// <summary>A blocker may live in another repository: its API URL (<c>…/repos/{owner}/{name}/issues/{n}</c>) says which.</summary>
    static TicketBlocker? Blocker(Issue issue)
    {
        var segments = issue.Url?.TrimEnd('/').Split('/') ?? [];
        if (segments is not [.., "repos", var owner, var name, "issues", _]) return null;
        var key = TicketKey.GitHub(owner, name, issue.Number);
        return new TicketBlocker(key.Value, $"{owner.ToLowerInvariant()}/{name.ToLowerInvariant()}#{issue.Number}", issue.HtmlUrl);
    }

    /// <summary>The summaries of a page of issues, by issue number, read from the page's JSON as GitHub sent it.</summary>
    public static IReadOnlyDictionary<int, IssueDependenciesSummary> Summaries(IResponse page)
    {
        if (page.Body is not string { Length: > 0 } json) return new Dictionary<int, IssueDependenciesSummary>();
        return JsonSerializer.Deserialize<List<SummaryOnly>>(json)!
            .Where(i => i.Summary is not null)
            .ToDictionary(i => i.Number, i => i.Summary!);
    }

    sealed record SummaryOnly(
        [property: JsonPropertyName("number")] int Number,
        [property: JsonPropertyName("issue_dependencies_summary")] IssueDependenciesSummary? Summary);
}
