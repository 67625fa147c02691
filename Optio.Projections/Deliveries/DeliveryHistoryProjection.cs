using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Webhooks;

namespace Optio.Projections.Deliveries;

/// <summary>Projects each delivery stream to its <see cref="DeliveryHistory"/>: the row shows what the <see cref="Delivery"/> model says.</summary>
public sealed partial class DeliveryHistoryProjection : SingleStreamProjection<DeliveryHistory, Guid>
{
    public override DeliveryHistory? Evolve(DeliveryHistory? snapshot, Guid id, IEvent e)
    {
        var next = (snapshot, e.Data) switch
        {
            (null, DeliveryScheduled s) => DeliveryHistory.Scheduled(id, s),
            ({ } h, DeliveryAttempted or DeliveryAbandoned or DeliveryRedeliveryRequested) => h.Following(e.Data, e.Timestamp),
            _ => snapshot,
        };
        return next is null ? null : next with { Version = e.Version };
    }
}
