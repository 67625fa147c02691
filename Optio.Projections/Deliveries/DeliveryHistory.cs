using Optio.Domain.Webhooks;

namespace Optio.Projections.Deliveries;

/// <summary>A delivery with every attempt made: the delivery history read model. Where it stands is what <see cref="Delivery"/> says.</summary>
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

    public static DeliveryHistory Scheduled(Guid id, DeliveryScheduled s) => new DeliveryHistory
    {
        Id = id, SubscriptionId = s.SubscriptionId, Channel = s.Channel, EventType = s.EventType, TaskId = s.TaskId,
        EventSequence = s.EventSequence, Body = s.Body, ChainKey = $"{s.SubscriptionId:N}:{s.TaskId:N}",
    }.Showing(Delivery.Begin(s));

    /// <summary>The delivery model this row shows.</summary>
    public Delivery ToDelivery() => new()
    {
        Status = Status, CreatedAt = CreatedAt, NextAttemptAt = NextAttemptAt, FinishedAt = FinishedAt, AbandonedReason = AbandonedReason,
        AttemptCount = AttemptCount, SingleAttempt = SingleAttempt,
    };

    /// <summary>The row after <paramref name="e"/>, as the model decides it; an attempt also joins <see cref="Attempts"/>.</summary>
    public DeliveryHistory Following(object e, DateTimeOffset recordedAt) =>
        Showing(ToDelivery().When(e, recordedAt)) with { Attempts = e is DeliveryAttempted a ? [.. Attempts, a] : Attempts };

    DeliveryHistory Showing(Delivery d) => this with
    {
        Status = d.Status, CreatedAt = d.CreatedAt, NextAttemptAt = d.NextAttemptAt, FinishedAt = d.FinishedAt,
        AbandonedReason = d.AbandonedReason, SingleAttempt = d.SingleAttempt,
    };
}
