using System.Net;
using System.Text.Json;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Linear;

namespace Optio.Api.Integrations;

/// <summary>A machine-readable name for why GitHub or Linear failed a call, shown beside the message a person reads.</summary>
public static class UpstreamErrorCode
{
    public const string Unauthorized = "unauthorized";
    public const string RateLimited = "rate_limited";
    public const string NotFound = "not_found";
    public const string Unreachable = "unreachable";
    public const string InvalidResponse = "invalid_response";

    /// <summary>The code of <paramref name="e"/> (or of what it wraps); null for a failure that is not the upstream's.</summary>
    public static string? Of(Exception? e) => e switch
    {
        null => null,
        GitHubRateLimitedException or LinearRateLimitedException => RateLimited,
        GitHubTokenMissingException => Unauthorized,
        GitHubApiException g => OfStatus(g.StatusCode) ?? Inner(g),
        LinearApiException l => OfStatus((int?)l.StatusCode) ?? Inner(l),
        _ => Of(e.InnerException),
    };

    static string? OfStatus(int? status) => status switch
    {
        (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden => Unauthorized,
        (int)HttpStatusCode.NotFound => NotFound,
        (int)HttpStatusCode.TooManyRequests => RateLimited,
        >= 500 => Unreachable,
        _ => null,
    };

    /// <summary>No telling status: what it wraps says whether the upstream could not be reached or answered nonsense.</summary>
    static string Inner(Exception e)
    {
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpRequestException or OperationCanceledException or TimeoutException) return Unreachable;
            if (inner is JsonException) return InvalidResponse;
        }
        return InvalidResponse;
    }
}
