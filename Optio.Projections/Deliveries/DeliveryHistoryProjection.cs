using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Webhooks;

namespace Optio.Projections.Deliveries;

public sealed partial class DeliveryHistoryProjection : SingleStreamProjection<DeliveryHistory, Guid>
{
    public override DeliveryHistory? Evolve(DeliveryHistory? snapshot, Guid id, IEvent e)
    {
        var next = (snapshot, e.Data) switch
        {
            (null, DeliveryScheduled s) => new DeliveryHistory
            {
                Id = id, SubscriptionId = s.SubscriptionId, Channel = s.Channel, EventType = s.EventType, TaskId = s.TaskId,
                EventSequence = s.EventSequence, Body = s.Body, NextAttemptAt = s.DueAt, CreatedAt = s.DueAt,
                ChainKey = $"{s.SubscriptionId:N}:{s.TaskId:N}", SingleAttempt = s.SingleAttempt,
            },
            ({ } h, DeliveryAttempted a) => h with
            {
                Attempts = [.. h.Attempts, a],
                Status = a.Succeeded ? DeliveryStatus.Delivered : a.NextAttemptAt is null ? DeliveryStatus.Failed : DeliveryStatus.Pending,
                NextAttemptAt = a.Succeeded ? null : a.NextAttemptAt,
                FinishedAt = a.Succeeded || a.NextAttemptAt is null ? a.At : null,
                AbandonedReason = !a.Succeeded && a.NextAttemptAt is null ? (h.SingleAttempt ? "single attempt failed" : "retries spent") : null,
                SingleAttempt = false,
            },
            ({ } h, DeliveryAbandoned x) => h with { Status = DeliveryStatus.Failed, NextAttemptAt = null, FinishedAt = x.At ?? e.Timestamp, AbandonedReason = x.Reason },
            ({ } h, DeliveryRedeliveryRequested r) => h with
            {
                Status = DeliveryStatus.Pending, NextAttemptAt = r.DueAt, FinishedAt = null, AbandonedReason = null, SingleAttempt = true,
            },
            _ => snapshot,
        };
        return next is null ? null : next with { Version = e.Version };
    }
}
