namespace Optio.Api.Tickets.Linear;

/// <summary>A link to a GitHub issue, as Linear's GitHub integration attaches it: <c>https://github.com/{owner}/{repo}/issues/{n}</c>.</summary>
sealed record GitHubIssueLink(string Owner, string Repo, int Number)
{
    public string RepoUrl => $"https://github.com/{Owner}/{Repo}";

    public static GitHubIssueLink? TryParse(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || !uri.Host.Equals("github.com", StringComparison.OrdinalIgnoreCase) && !uri.Host.Equals("www.github.com", StringComparison.OrdinalIgnoreCase))
            return null;
        return uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) is [var owner, var repo, "issues", var n]
               && int.TryParse(n, System.Globalization.NumberStyles.None, null, out var number) && number > 0
            ? new GitHubIssueLink(owner, repo, number)
            : null;
    }
}
