namespace Optio.Domain.Webhooks;

/// <summary>What one HTTP attempt got back, and what that answer means: 2xx delivered it, 410 says the endpoint is gone.</summary>
public sealed record AttemptResult(int? StatusCode, string? Error, double DurationMs, string? ResponseExcerpt, TimeSpan? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
    public bool Gone => StatusCode == 410;

    /// <summary>The attempt failed before anything was sent.</summary>
    public static AttemptResult NotSent(string reason) => new(null, reason, 0, null, null);
}
