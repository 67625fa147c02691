namespace Optio.Domain.Webhooks;

/// <summary>Where a delivery stands, as stored and queried.</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>
/// A delivery folded from its stream (<see cref="Begin"/>, <see cref="When"/>), and the decisions about it: what an
/// attempt's answer makes of it, when to try again, when to give up, and whether it may be sent again.
/// </summary>
public sealed record Delivery
{
    public const string RetriesSpent = "retries spent";
    public const string SingleAttemptFailed = "single attempt failed";
    public const string SubscriptionDeleted = "the subscription was deleted";
    public const string SlackOff = "Slack notifications are off for the repository, or it is gone";

    public string Status { get; init; } = DeliveryStatus.Pending;
    /// <summary>When it was scheduled, by the service's clock.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? AbandonedReason { get; init; }
    public int AttemptCount { get; init; }
    /// <summary>The next attempt is a single one (a redelivery or a test ping): no retries after it.</summary>
    public bool SingleAttempt { get; init; }

    public static Delivery Begin(DeliveryScheduled scheduled) =>
        new() { CreatedAt = scheduled.DueAt, NextAttemptAt = scheduled.DueAt, SingleAttempt = scheduled.SingleAttempt };

    /// <param name="recordedAt">When the event was stored: the end of an abandon recorded without a time of its own.</param>
    public Delivery When(object @event, DateTimeOffset recordedAt) => @event switch
    {
        DeliveryAttempted a when a.Succeeded => Finished(DeliveryStatus.Delivered, a.At, null) with { AttemptCount = AttemptCount + 1 },
        DeliveryAttempted a when a.NextAttemptAt is null =>
            Finished(DeliveryStatus.Failed, a.At, SingleAttempt ? SingleAttemptFailed : RetriesSpent) with { AttemptCount = AttemptCount + 1 },
        DeliveryAttempted a => this with
        {
            Status = DeliveryStatus.Pending, NextAttemptAt = a.NextAttemptAt, FinishedAt = null, AbandonedReason = null,
            AttemptCount = AttemptCount + 1, SingleAttempt = false,
        },
        DeliveryAbandoned x => this with { Status = DeliveryStatus.Failed, NextAttemptAt = null, FinishedAt = x.At ?? recordedAt, AbandonedReason = x.Reason },
        DeliveryRedeliveryRequested r => this with
        {
            Status = DeliveryStatus.Pending, NextAttemptAt = r.DueAt, FinishedAt = null, AbandonedReason = null, SingleAttempt = true,
        },
        _ => this,
    };

    Delivery Finished(string status, DateTimeOffset at, string? gaveUpBecause) =>
        this with { Status = status, NextAttemptAt = null, FinishedAt = at, AbandonedReason = gaveUpBecause, SingleAttempt = false };

    public bool IsDue(DateTimeOffset now) => Status == DeliveryStatus.Pending && NextAttemptAt <= now;

    /// <summary>
    /// The record of an attempt that got <paramref name="result"/>: failed, it is tried again on <see cref="RetrySchedule"/>
    /// (<paramref name="jitter"/> in [0, 1), a longer Retry-After wins); a success, a 410, a single attempt or spent retries
    /// leave no next attempt.
    /// </summary>
    public DeliveryAttempted Attempted(AttemptResult result, DateTimeOffset at, double jitter)
    {
        var number = AttemptCount + 1;
        var retryIn = result.Succeeded || result.Gone || SingleAttempt ? null : RetrySchedule.DelayBefore(number + 1, jitter, result.RetryAfter);
        return new DeliveryAttempted(number, at, result.StatusCode, result.Error, result.DurationMs, result.ResponseExcerpt, result.Succeeded, at + retryIn);
    }

    /// <summary>Why a webhook delivery is given up unsent, or null when its subscription takes it.</summary>
    public static string? WhyNotSend(bool subscribed, bool enabled, string? disabledReason) =>
        !subscribed ? SubscriptionDeleted : !enabled ? SubscriptionDisabled(disabledReason) : null;

    public static string SubscriptionDisabled(string? reason) => $"the subscription is disabled: {reason}";

    public DeliveryAbandoned Abandon(string reason, DateTimeOffset at) => new(reason, at);

    /// <summary>Send it again: one more attempt, no retry schedule; null while it still waits to be sent.</summary>
    public DeliveryRedeliveryRequested? Redeliver(DateTimeOffset now) => Status == DeliveryStatus.Pending ? null : new(now);

    /// <summary>A test ping to a subscription: due now, one attempt, no retries.</summary>
    public static DeliveryScheduled Ping(Guid subscriptionId, string body, DateTimeOffset now) =>
        new(subscriptionId, WebhookEvents.Ping, Guid.Empty, 0, body, now, SingleAttempt: true);
}
