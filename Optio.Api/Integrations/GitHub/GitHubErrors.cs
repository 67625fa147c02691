using System.Globalization;
using Octokit;

namespace Optio.Api.Integrations.GitHub;

/// <summary>Turns Octokit's failures into <see cref="GitHubRateLimitedException"/> or an actionable <see cref="GitHubApiException"/>.</summary>
static class GitHubErrors
{
    static readonly TimeSpan SecondaryLimitDefault = TimeSpan.FromSeconds(60);

    /// <param name="subject">What was called, for the message: "repository acme/webapp", "issue acme/webapp#42".</param>
    public static async Task<T> Guard<T>(string subject, TimeProvider clock, CancellationToken ct, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ApiException e)
        {
            throw Translate(e, subject, clock);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubApiException($"Could not reach GitHub for {subject}: {e.Message}", null, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new GitHubApiException($"GitHub did not answer in time for {subject}.", null, e);
        }
        catch (Exception e) when (e is System.Runtime.Serialization.SerializationException or FormatException or InvalidCastException)
        {
            throw new GitHubApiException($"GitHub sent a response for {subject} that could not be read: {e.Message}", null, e);
        }
    }

    public static Exception Translate(ApiException e, string subject, TimeProvider clock)
    {
        var headers = e.HttpResponse?.Headers ?? new Dictionary<string, string>();
        var status = (int)e.StatusCode;
        var retryAfter = RetryAfterHeader(headers, clock);
        var secondary = e is SecondaryRateLimitExceededException or AbuseException || status == 429 || status == 403 && retryAfter is not null;
        var primary = e is RateLimitExceededException || status == 403 && Header(headers, "x-ratelimit-remaining") == "0";
        if (primary || secondary)
            return new GitHubRateLimitedException(retryAfter ?? ResetHeader(headers, clock) ?? SecondaryLimitDefault, !primary, e);

        var detail = e.ApiError?.Message is { Length: > 0 } m ? $": {m}" : "";
        return status switch
        {
            401 => new GitHubApiException("GitHub refused the token (401): it is wrong, expired or revoked; configure a valid token.", status, e),
            403 => new GitHubApiException($"GitHub refused access to {subject} (403){detail}; the token may lack the permission (issues: read and write) this needs.", status, e),
            404 => new GitHubApiException($"{subject} not found or not visible to the token (404)", status, e),
            422 => new GitHubApiException($"GitHub rejected the request for {subject} (422){detail}", status, e),
            >= 500 => new GitHubApiException($"GitHub failed with {status} for {subject}; it is GitHub's side, try again later.", status, e),
            _ => new GitHubApiException($"GitHub answered {status} for {subject}{detail}", status, e),
        };
    }

    static TimeSpan? RetryAfterHeader(IReadOnlyDictionary<string, string> headers, TimeProvider clock)
    {
        var value = Header(headers, "Retry-After");
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return Until(at, clock);
        return null;
    }

    static TimeSpan? ResetHeader(IReadOnlyDictionary<string, string> headers, TimeProvider clock) =>
        long.TryParse(Header(headers, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            ? Until(DateTimeOffset.FromUnixTimeSeconds(epoch), clock)
            : null;

    static TimeSpan Until(DateTimeOffset at, TimeProvider clock) =>
        at - clock.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero;

    static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Trim();
}
