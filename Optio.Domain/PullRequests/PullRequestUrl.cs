

namespace Optio.Domain.PullRequests;

/// <summary>A GitHub pull request URL (<c>https://github.com/owner/repo/pull/42</c>), normalised.</summary>
public sealed record PullRequestUrl(string RepoUrl, int Number)
{
    public override string ToString() => $"{RepoUrl}/pull/{Number}";

    public static bool TryParse(string? value, out PullRequestUrl? pr, out string? error)
    {
        pr = null;
        error = $"'{value}' is not a pull request URL (expected https://github.com/owner/repo/pull/42).";
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)) return false;
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length != 4 || segments[2] != "pull" || !int.TryParse(segments[3], out var number) || number <= 0)
            return false;
        var repo = $"{uri.Scheme}://{uri.Authority}/{segments[0]}/{segments[1]}";
        if (!Repos.RepoUrl.TryNormalise(repo, out var normalised, out var repoError))
        {
            error = repoError;
            return false;
        }
        pr = new PullRequestUrl(normalised, number);
        error = null;
        return true;
    }
}
