using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;
using Optio.Domain.Tasks;

namespace Optio.Api.Tickets.Status;

/// <summary>
/// A Wolverine-managed subscription to the event store: each page of state changes becomes one
/// <see cref="PublishTicketStatus"/> per task, stored in the same transaction as the subscription's progress (Wolverine's
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
        foreach (var taskId in page.Events.Select(e => e.StreamId).Distinct())
            await bus.ScheduleAsync(new PublishTicketStatus(taskId), Coalesce);
    }
}
