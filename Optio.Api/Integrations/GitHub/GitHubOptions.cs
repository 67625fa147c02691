using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.Integrations.GitHub;

/// <summary>GitHub defaults (<c>Optio:GitHub</c>).</summary>
public sealed class GitHubOptions
{
    public const string Section = "Optio:GitHub";

    /// <summary>GitHub API for repos no provider names an <c>apiUrl</c> for; api.github.com when empty.</summary>
    public string? ApiUrl { get; set; }

    /// <summary>One GitHub request; a slower answer fails the sync.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>GitHub pages kept for conditional requests.</summary>
    public int CachedResponses { get; set; } = PolledResponseCache.DefaultCapacity;

    public Uri DefaultApiUrl => ApiUrl is { Length: > 0 } url ? new Uri(url) : GitHubSettings.DefaultApiUrl;

    internal static IEnumerable<string> Problems(GitHubOptions o, string section) =>
        (o.ApiUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                ? [$"{section}:ApiUrl must be an absolute http(s) URL; got '{url}'"]
                : Array.Empty<string>())
            .Concat(OptioOptions.Positive(section, nameof(Timeout), o.Timeout))
            .Concat(OptioOptions.AtLeast(section, nameof(CachedResponses), o.CachedResponses, 1));
}
