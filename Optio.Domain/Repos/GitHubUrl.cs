using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Optio.Domain.Repos;

/// <summary>What a GitHub web URL shows.</summary>
public enum GitHubPage { Repo, Issue, PullRequest }

/// <summary>
/// The one reader of GitHub web URLs: a repository, one of its issues or one of its pull requests, on github.com or a
/// GitHub Enterprise host. <see cref="RepoUrl"/> is normalised so the same repo always compares equal:
/// <c>HTTPS://www.GitHub.com/Acme/WebApp.git/</c> → <c>https://github.com/acme/webapp</c>.
/// </summary>
/// <param name="Owner">The repository's owner, lower case (under a deeper path: the segment before the name).</param>
/// <param name="Number">The issue or pull request number; 0 for a repository.</param>
public sealed record GitHubUrl(string RepoUrl, string Owner, string Name, GitHubPage Page = GitHubPage.Repo, int Number = 0)
{
    public static readonly Uri GitHubCom = new("https://github.com/");
    static readonly Uri WwwGitHubCom = new("https://www.github.com/");

    public override string ToString() => Page switch
    {
        GitHubPage.Issue => $"{RepoUrl}/issues/{Number}",
        GitHubPage.PullRequest => $"{RepoUrl}/pull/{Number}",
        _ => RepoUrl,
    };

    public GitHubUrl PullRequest(int number) => this with { Page = GitHubPage.PullRequest, Number = number };

    /// <summary>
    /// A repository URL on any http(s) host (<c>https://host/owner/repo</c>); false, with a reason to show,
    /// for anything that is not an absolute http(s) URL naming a repo.
    /// </summary>
    public static bool TryParseRepo(string? value, [NotNullWhen(true)] out GitHubUrl? repo, out string? error)
    {
        repo = null;
        error = null;
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"'{value}' is not an absolute http(s) URL.";
            return false;
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            error = "A repository URL must not carry credentials.";
            return false;
        }
        var host = uri.IdnHost.ToLowerInvariant();
        if (host.StartsWith("www.", StringComparison.Ordinal)) host = host[4..];
        var path = uri.AbsolutePath.Trim('/');
        if (path.EndsWith(".git", StringComparison.OrdinalIgnoreCase)) path = path[..^4];
        var segments = path.ToLowerInvariant().Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            error = $"'{value}' does not name a repository (expected https://host/owner/repo).";
            return false;
        }
        var port = uri.IsDefaultPort ? "" : $":{uri.Port}";
        repo = new GitHubUrl($"https://{host}{port}/{string.Join('/', segments)}", segments[^2], segments[^1]);
        return true;
    }

    /// <summary>The repository a (stored, normalised) repo URL names; null when it names none.</summary>
    public static GitHubUrl? Repo(string? repoUrl) => TryParseRepo(repoUrl, out var repo, out _) ? repo : null;

    /// <summary><paramref name="owner"/>/<paramref name="name"/> on the web host of <paramref name="pageOnSameHost"/> (github.com without one).</summary>
    public static GitHubUrl? Repo(string owner, string name, string? pageOnSameHost)
    {
        var site = Uri.TryCreate(pageOnSameHost, UriKind.Absolute, out var page) ? page.GetLeftPart(UriPartial.Authority) : "https://github.com";
        return Repo($"{site}/{owner}/{name}");
    }

    /// <summary>A pull request URL (<c>https://github.com/owner/repo/pull/42</c>), on any host.</summary>
    public static bool TryParsePullRequest(string? value, [NotNullWhen(true)] out GitHubUrl? pr, out string? error)
    {
        error = $"'{value}' is not a pull request URL (expected https://github.com/owner/repo/pull/42).";
        pr = Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) ? PageOf(uri, "/", "pull", GitHubPage.PullRequest, ref error) : null;
        if (pr is not null) error = null;
        return pr is not null;
    }

    /// <summary>An issue URL (<c>https://github.com/owner/repo/issues/42</c>), on any host.</summary>
    public static GitHubUrl? Issue(string? value)
    {
        string? error = null;
        return Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) ? PageOf(uri, "/", "issues", GitHubPage.Issue, ref error) : null;
    }

    /// <summary>
    /// An issue URL on github.com or on <paramref name="enterpriseWeb"/>, the configured GitHub's web host (which may sit
    /// under a path). http and https links to the same host are the same page; a non-default port must match.
    /// </summary>
    public static GitHubUrl? IssueOn(Uri enterpriseWeb, string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return null;
        var site = new[] { GitHubCom, WwwGitHubCom, enterpriseWeb }.FirstOrDefault(s => IsOn(uri, s));
        string? error = null;
        return site is null ? null : PageOf(uri, site.AbsolutePath, "issues", GitHubPage.Issue, ref error);
    }

    static GitHubUrl? PageOf(Uri uri, string sitePath, string kind, GitHubPage page, ref string? error)
    {
        if (uri.AbsolutePath[sitePath.Length..].Trim('/').Split('/') is not [var owner, var name, var k, var n] || k != kind
            || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number <= 0)
            return null;
        if (!TryParseRepo($"{uri.Scheme}://{uri.Authority}{sitePath}{owner}/{name}", out var repo, out var repoError))
        {
            error = repoError;
            return null;
        }
        return repo with { Page = page, Number = number };
    }

    static bool IsOn(Uri link, Uri site) =>
        link.Host.Equals(site.Host, StringComparison.OrdinalIgnoreCase)
        && (link.IsDefaultPort && site.IsDefaultPort || link.Port == site.Port)
        && link.AbsolutePath.StartsWith(site.AbsolutePath, StringComparison.OrdinalIgnoreCase);
}
