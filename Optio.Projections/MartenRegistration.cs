using JasperFx.Events.Projections;
using Marten;
using Optio.Domain.Tickets;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;
using Optio.Projections.SyncRuns;
using Optio.Projections.TaskList;

namespace Optio.Projections;

public static class MartenRegistration
{
    /// <summary>The task list: one row per task stream, folded inline with the task's events.</summary>
    public static StoreOptions AddTaskList(this StoreOptions opts)
    {
        opts.Projections.Add(new TaskSummaryProjection(), ProjectionLifecycle.Inline);
        opts.Schema.For<TaskSummary>()
            .Duplicate(x => x.State)
            .Duplicate(x => x.Source)
            .Duplicate(x => x.RepoUrl!)
            .Duplicate(x => x.ProviderId!)
            // Found by: a GitHub PR event or poll (the task that reported the PR), a ticket event (the task born from it).
            .Duplicate(x => x.PrUrl!)
            .Duplicate(x => x.TicketKey!)
            .Duplicate(x => x.Priority!)
            // Real columns, so "newest first", "oldest queued first" and "leases due" read an index in order.
            .Duplicate(x => x.CreatedAt)
            .Duplicate(x => x.UpdatedAt)
            .Duplicate(x => x.QueuedAt!)
            .Duplicate(x => x.LeaseExpiresAt!)
            .Duplicate(x => x.ClaimRank)
            .Duplicate(x => x.Blocked)
            // A claim reads the unblocked queue in these indexes' order: by priority (urgent first), or the oldest first.
            .Index([x => x.State, x => x.Blocked, x => x.ClaimRank, x => x.QueuedAt!, x => x.Id], index => index.Name = "mt_doc_tasksummary_idx_claim_by_priority")
            .Index([x => x.State, x => x.Blocked, x => x.QueuedAt!, x => x.Id], index => index.Name = "mt_doc_tasksummary_idx_claim_oldest");
        // State first, then the list's order: "the newest queued tasks" reads a page of index entries, not every queued row.
        opts.Policies.ForAllDocuments(mapping =>
        {
            if (mapping.DocumentType == typeof(TaskSummary)) mapping.AddIndex("state", "created_at", "id");
        });
        return opts;
    }

    /// <summary>The delivery history: one stream and one row per webhook or Slack delivery, with every attempt.</summary>
    public static StoreOptions AddDeliveryHistory(this StoreOptions opts)
    {
        Type[] deliveryEvents = [typeof(DeliveryScheduled), typeof(DeliveryAttempted), typeof(DeliveryAbandoned), typeof(DeliveryRedeliveryRequested)];
        opts.Events.AddEventTypes(deliveryEvents);
        var projection = new DeliveryHistoryProjection();
        // Delivery streams only: else every task command would also look up a delivery row under the task's id.
        foreach (var type in deliveryEvents) projection.IncludeType(type);
        opts.Projections.Add(projection, ProjectionLifecycle.Inline);
        opts.Schema.For<DeliveryHistory>()
            .Duplicate(x => x.Status)
            .Duplicate(x => x.SubscriptionId)
            .Duplicate(x => x.ChainKey)
            .Index(x => x.NextAttemptAt!)
            .Index(x => x.CreatedAt);
        return opts;
    }

    /// <summary>The sync run history: one stream and one row per run of a provider, newest first by provider.</summary>
    public static StoreOptions AddSyncRuns(this StoreOptions opts)
    {
        Type[] runEvents = [typeof(SyncRunStarted), typeof(SyncRunFinished)];
        opts.Events.AddEventTypes(runEvents);
        var projection = new SyncRunProjection();
        foreach (var type in runEvents) projection.IncludeType(type);
        opts.Projections.Add(projection, ProjectionLifecycle.Inline);
        opts.Schema.For<SyncRun>().Index(x => x.ProviderId).Index(x => x.StartedAt);
        return opts;
    }
}
