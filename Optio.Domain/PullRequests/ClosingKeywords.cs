using System.Text.RegularExpressions;
using Optio.Domain.Repos;
using Optio.Domain.Tickets;

namespace Optio.Domain.PullRequests;

/// <summary>
/// The issues a pull request says it closes, as GitHub reads them: close/closes/closed,
/// fix/fixes/fixed, resolve/resolves/resolved, then <c>#42</c> (same repo), <c>owner/repo#42</c>,
/// or the issue's URL.
/// </summary>
public static partial class ClosingKeywords
{
    [GeneratedRegex(@"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s+(?:(?<url>https?://[^/\s]+/[\w.-]+/[\w.-]+/issues/\d+)|(?:(?<owner>[\w.-]+)/(?<repo>[\w.-]+))?#(?<num>\d+))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reference();

    public static IReadOnlyList<TicketKey> IssuesClosedBy(string? body, string owner, string repo)
    {
        if (string.IsNullOrEmpty(body)) return [];
        var keys = new List<TicketKey>();
        foreach (Match m in Reference().Matches(body))
        {
            var key = m.Groups["url"].Success
                ? GitHubUrl.Issue(m.Groups["url"].Value) is { } issue ? TicketKey.GitHub(issue.Owner, issue.Name, issue.Number) : null
                : TicketKey.GitHub(m.Groups["owner"].Success ? m.Groups["owner"].Value : owner,
                    m.Groups["repo"].Success ? m.Groups["repo"].Value : repo, int.Parse(m.Groups["num"].Value));
            if (key is not null && !keys.Contains(key)) keys.Add(key);
        }
        return keys;
    }
}
