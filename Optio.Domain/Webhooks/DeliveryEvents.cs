namespace Optio.Domain.Webhooks;

// A delivery is a stream of its own: scheduled once per (task event, subscription), then one
// event per attempt. The delivery history is the projection of these streams.

/// <summary>A task event became a delivery to a subscription. <see cref="Body"/> is the exact JSON sent on every attempt.</summary>
public sealed record DeliveryScheduled(
    Guid SubscriptionId,
    string EventType,
    Guid TaskId,
    long EventSequence,
    string Body,
    /// <summary>When to send it first: the moment it was scheduled, by the service's clock.</summary>
    DateTimeOffset DueAt,
    /// <summary>"webhook" or "slack": how the body is shaped and signed.</summary>
    string Channel = "webhook",
    /// <summary>A test ping: one attempt, no retries.</summary>
    bool SingleAttempt = false);

/// <summary>One try: the answer (status or error), how long it took, what came back (truncated), and what happens next.</summary>
public sealed record DeliveryAttempted(
    int Attempt,
    DateTimeOffset At,
    int? StatusCode,
    string? Error,
    double DurationMs,
    string? ResponseExcerpt,
    bool Succeeded,
    DateTimeOffset? NextAttemptAt);

/// <summary>No more attempts: the retries are spent, or the subscription is gone or disabled.</summary>
public sealed record DeliveryAbandoned(string Reason, DateTimeOffset? At = null);

/// <summary>Someone asked for this delivery to be sent again: one more attempt, without a retry schedule.</summary>
public sealed record DeliveryRedeliveryRequested(DateTimeOffset DueAt);
