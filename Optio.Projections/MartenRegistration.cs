using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;
using Optio.Projections.TicketIndex;
using Optio.Projections.Deliveries;
using Optio.Domain.Webhooks;

namespace Optio.Projections;

public static class MartenRegistration
{
    /// <summary>The task event store and its read models.</summary>
    public static StoreOptions AddOptioProjections(this StoreOptions opts)
    {
        // Rich mode: versions and timestamps are known while projecting, so read models carry them.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.AddEventTypes(TaskEvents.All);

        opts.Projections.Add(new OptioTaskProjection(), ProjectionLifecycle.Live);
        opts.Projections.Add(new TaskSummaryProjection(), ProjectionLifecycle.Inline);
        opts.Schema.For<TaskSummary>()
            .Duplicate(x => x.State)
            .Duplicate(x => x.Source)
            .Duplicate(x => x.RepoUrl!)
            .Duplicate(x => x.ProviderId!)
            // Real columns, so "newest first", "oldest queued first" and "leases due" read an index in order.
            .Duplicate(x => x.CreatedAt)
            .Duplicate(x => x.QueuedAt!)
            .Duplicate(x => x.LeaseExpiresAt!);
        opts.Schema.For<TicketAlias>().Identity(x => x.Id);

        opts.Events.AddEventTypes([typeof(DeliveryScheduled), typeof(DeliveryAttempted), typeof(DeliveryAbandoned), typeof(DeliveryRedeliveryRequested)]);
        opts.Projections.Add(new DeliveryHistoryProjection(), ProjectionLifecycle.Inline);
        opts.Schema.For<DeliveryHistory>()
            .Duplicate(x => x.Status)
            .Duplicate(x => x.SubscriptionId)
            .Duplicate(x => x.ChainKey)
            .Index(x => x.NextAttemptAt!)
            .Index(x => x.CreatedAt);
        return opts;
    }
}
