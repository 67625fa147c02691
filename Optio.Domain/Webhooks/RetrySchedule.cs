namespace Optio.Domain.Webhooks;

/// <summary>
/// When to try a failed delivery again, like Svix: immediately, 5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h, 10 h, each with up to ±20 % jitter so a recovering endpoint is not hit by a herd.
/// A <c>Retry-After</c> from the endpoint (429/503) wins when it asks for longer.
/// </summary>
public static class RetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2), TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts in all: the first send plus one per delay after it.</summary>
    public static int MaxAttempts => Delays.Count;

    /// <summary>The delay before attempt <paramref name="nextAttempt"/> (2-based), or null when attempts are spent.</summary>
    /// <param name="jitter">A number in [0, 1): 0.5 means no jitter.</param>
    public static TimeSpan? DelayBefore(int nextAttempt, double jitter, TimeSpan? retryAfter = null)
    {
        if (nextAttempt < 2 || nextAttempt > MaxAttempts) return null;
        var baseDelay = Delays[nextAttempt - 1];
        var jittered = TimeSpan.FromTicks((long)(baseDelay.Ticks * (0.8 + 0.4 * jitter)));
        return retryAfter is { } asked && asked > jittered ? asked : jittered;
    }
}
