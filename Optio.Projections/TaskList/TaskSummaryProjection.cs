using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Projections.TaskList;

/// <summary>Folds a task stream into its list row with the domain's own <see cref="OptioTask.When"/>.</summary>
public sealed partial class TaskSummaryProjection : SingleStreamProjection<TaskSummary, Guid>
{
    public TaskSummaryProjection()
    {
        foreach (var type in TaskEvents.All) IncludeType(type);
    }

    public override TaskSummary? Evolve(TaskSummary? snapshot, Guid id, IEvent e)
    {
        // Only a task's first event makes a row: the store also holds other streams (webhook deliveries).
        if (snapshot is null && !TaskEvents.StartsATask(e.Data)) return null;
        var task = snapshot is null ? OptioTask.Begin(id, e.Data) : snapshot.Task.When(e.Data);
        var enteredQueue = task.State == TaskState.Queued && (snapshot is null || snapshot.State != TaskState.Queued);
        return new TaskSummary
        {
            Id = id,
            Task = task,
            State = task.State,
            Source = task.Ticket?.Source ?? TicketSource.Manual,
            RepoUrl = task.RepoUrl,
            ProviderId = task.ProviderId,
            LeaseExpiresAt = task.LeaseExpiresAt,
            Version = e.Version,
            CreatedAt = snapshot?.CreatedAt ?? StoredPrecision(e.Timestamp),
            UpdatedAt = StoredPrecision(e.Timestamp),
            QueuedAt = enteredQueue ? StoredPrecision(e.Timestamp) : snapshot?.QueuedAt,
        };
    }

    // PostgreSQL keeps microseconds: truncate so a row projected inline equals the same row rebuilt from stored events.
    static DateTimeOffset StoredPrecision(DateTimeOffset t) => t.AddTicks(-(t.Ticks % 10));
}
