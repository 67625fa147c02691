using Optio.Api.Integrations.Secrets;

namespace Optio.Api.Integrations.GitHub;

/// <summary>GitHub refused a call with a rate limit; nothing should call it again before <see cref="RetryAfter"/>.</summary>
public sealed class GitHubRateLimitedException(TimeSpan retryAfter, bool secondary, Exception? inner = null)
    : Exception($"GitHub {(secondary ? "secondary" : "primary")} rate limit reached; retry in {retryAfter.TotalSeconds:0} s.", inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    /// <summary>A secondary (abuse) limit: too many requests too fast, rather than the hourly quota spent.</summary>
    public bool Secondary { get; } = secondary;
}

/// <summary>A GitHub call failed for a reason other than rate limits; the message says what an operator can do.</summary>
public class GitHubApiException(string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status GitHub answered with, if it answered at all.</summary>
    public int? StatusCode { get; } = statusCode;
}

/// <summary>No token to call GitHub with: the operator has to store one before anything that reads GitHub can work.</summary>
public sealed class GitHubTokenMissingException(string tokenSecret)
    : GitHubApiException($"No GitHub token: set the secret '{tokenSecret}' (PUT /api/secrets/{tokenSecret})"
        + (tokenSecret == Secrets.SecretStore.GitHubToken ? " or the GITHUB_TOKEN environment variable." : "."))
{
    public string TokenSecret { get; } = tokenSecret;
}
