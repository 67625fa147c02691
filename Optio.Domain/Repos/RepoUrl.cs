namespace Optio.Domain.Repos;

/// <summary>The one place repository URLs are normalised, so the same repo always compares equal.</summary>
public static class RepoUrl
{
    /// <summary>
    /// <c>HTTPS://www.GitHub.com/Acme/WebApp.git/</c> → <c>https://github.com/acme/webapp</c>.
    /// Returns false (with a reason) for anything that is not an absolute http(s) URL naming a repo.
    /// </summary>
    /// <summary>The owner and name of a repository URL (its last two path segments), or null when it has fewer.</summary>
    public static (string Owner, string Name)? OwnerAndName(string? repoUrl)
    {
        if (repoUrl is null || !Uri.TryCreate(repoUrl, UriKind.Absolute, out var uri)) return null;
        var segments = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 ? (segments[^2], segments[^1]) : null;
    }

    public static bool TryNormalise(string? value, out string normalised, out string? error)
    {
        normalised = "";
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
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2)
        {
            error = $"'{value}' does not name a repository (expected https://host/owner/repo).";
            return false;
        }
        var port = uri.IsDefaultPort ? "" : $":{uri.Port}";
        normalised = $"https://{host}{port}/{string.Join('/', segments).ToLowerInvariant()}";
        return true;
    }
}
