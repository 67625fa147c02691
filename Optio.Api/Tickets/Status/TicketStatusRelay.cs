using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tickets.Status;

/// <summary>
/// A Wolverine-managed subscription to the event store: each page of state changes becomes one
/// <see cref="PublishTicketStatus"/> per task whose provider shows status, stored in the same transaction as the subscription's progress (Wolverine's
/// outbox), so a crash neither loses nor repeats one. Each is due <see cref="Coalesce"/> later: a burst of changes is
/// over by then, and the first message shows its last state while the others find nothing new to show.
/// It starts from the present: turning this on shows nothing on the tickets of tasks already done.
/// </summary>
public sealed class TicketStatusRelay : BatchSubscription
{
    public static readonly TimeSpan Coalesce = TimeSpan.FromSeconds(1);

    public TicketStatusRelay() : base("ticket-status")
    {
        foreach (var type in TaskEvents.StateChanges) IncludeType(type);
        Options.SubscribeFromPresent();
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations,
        IMessageBus bus, CancellationToken cancellationToken)
    {
        foreach (var taskId in await ShownOnTicketsAsync(page.Events.Select(e => e.StreamId).Distinct().ToArray(), operations, cancellationToken))
            await bus.ScheduleAsync(new PublishTicketStatus(taskId), Coalesce);
    }

    /// <summary>
    /// The tasks whose ticket comes from a provider that shows status: a task made by hand, or a bulk import by a provider
    /// that opted out, sets off no message at all (one query for the page, not one handler run per task).
    /// </summary>
    static async Task<IReadOnlyList<Guid>> ShownOnTicketsAsync(Guid[] taskIds, IDocumentOperations operations, CancellationToken ct)
    {
        var publishing = (await operations.Query<TicketProvider>().ToListAsync(ct))
            .Where(p => p is { Enabled: true, PublishesStatus: true }).Select(p => (Guid?)p.Id).ToArray();
        if (publishing.Length == 0) return [];
        return await operations.Query<TaskSummary>()
            .Where(x => x.Id.IsOneOf(taskIds) && x.ProviderId.IsOneOf(publishing))
            .Select(x => x.Id).ToListAsync(ct);
    }
}
