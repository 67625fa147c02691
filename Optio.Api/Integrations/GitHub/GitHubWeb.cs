using Optio.Domain.Repos;

namespace Optio.Api.Integrations.GitHub;

/// <summary>Where GitHub's pages are, given where its API is.</summary>
public static class GitHubWeb
{
    public static readonly Uri GitHubCom = GitHubUrl.GitHubCom;

    /// <summary>
    /// <c>https://api.github.com/</c> → <c>https://github.com/</c>; a GitHub Enterprise Server API
    /// (<c>https://ghe.example.com/api/v3/</c>) → <c>https://ghe.example.com/</c>; GHE.com's
    /// <c>https://api.acme.ghe.com/</c> → <c>https://acme.ghe.com/</c>; any other API is its own web host.
    /// </summary>
    public static Uri UrlOf(Uri apiUrl)
    {
        var path = apiUrl.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/api/v3", StringComparison.OrdinalIgnoreCase))
            return new Uri($"{apiUrl.GetLeftPart(UriPartial.Authority)}{path[..^"/api/v3".Length]}/");
        var host = apiUrl.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) ? apiUrl.Host["api.".Length..] : apiUrl.Host;
        var port = apiUrl.IsDefaultPort ? "" : $":{apiUrl.Port}";
        return new Uri($"{apiUrl.Scheme}://{host}{port}{path}/");
    }
}
