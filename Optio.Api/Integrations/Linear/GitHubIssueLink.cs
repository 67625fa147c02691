using Optio.Api.Integrations.GitHub;
using Optio.Api.Tickets.GitHub;
using Optio.Domain.Repos;

namespace Optio.Api.Integrations.Linear;

/// <summary>
/// A link to a GitHub issue, as Linear's GitHub integration attaches it:
/// <c>https://github.com/{owner}/{repo}/issues/{n}</c>, or the same on the configured GitHub's web host (GitHub Enterprise).
/// </summary>
sealed record GitHubIssueLink(string RepoUrl, string Owner, string Repo, int Number)
{
    static readonly Uri WwwGitHubCom = new("https://www.github.com/");

    public static GitHubIssueLink? TryParse(string? url, Uri gitHubWeb)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        var site = new[] { GitHubWeb.GitHubCom, WwwGitHubCom, gitHubWeb }.FirstOrDefault(s => IsOn(uri, s));
        if (site is null) return null;
        return uri.AbsolutePath[site.AbsolutePath.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries) is [var owner, var repo, "issues", var n]
               && int.TryParse(n, System.Globalization.NumberStyles.None, null, out var number) && number > 0
               && Domain.Repos.RepoUrl.TryNormalise($"{site.GetLeftPart(UriPartial.Authority)}{site.AbsolutePath}{owner}/{repo}", out var repoUrl, out _)
            ? new GitHubIssueLink(repoUrl, owner, repo, number)
            : null;
    }

    // http and https links to the same host are the same page; a non-default port must match.
    static bool IsOn(Uri link, Uri site) =>
        link.Host.Equals(site.Host, StringComparison.OrdinalIgnoreCase)
        && (link.IsDefaultPort && site.IsDefaultPort || link.Port == site.Port)
        && link.AbsolutePath.StartsWith(site.AbsolutePath, StringComparison.OrdinalIgnoreCase);
}
