using Optio.Domain.Webhooks;

namespace Optio.Projections.Deliveries;

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

/// <summary>A delivery with every attempt made: the delivery history read model.</summary>
public sealed record DeliveryHistory
{
    public Guid Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public string Channel { get; init; } = "webhook";
    public string EventType { get; init; } = "";
    public Guid TaskId { get; init; }
    public long EventSequence { get; init; }
    public string Body { get; init; } = "";
    /// <summary>pending, delivered or failed.</summary>
    public string Status { get; init; } = DeliveryStatus.Pending;
    /// <summary>When it was scheduled, by the service's clock (what <c>recover</c>'s <c>since</c> compares with).</summary>
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public string? AbandonedReason { get; init; }
    public IReadOnlyList<DeliveryAttempted> Attempts { get; init; } = [];
    /// <summary>Deliveries of one task to one subscription go out in event order: this groups them.</summary>
    public string ChainKey { get; init; } = "";
    public long Version { get; init; }
    /// <summary>The next attempt is a single one (a redelivery or a test ping): no retries after it.</summary>
    public bool SingleAttempt { get; init; }

    public int AttemptCount => Attempts.Count;
}
