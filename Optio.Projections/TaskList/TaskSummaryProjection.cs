using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Tasks;

namespace Optio.Projections.TaskList;

/// <summary>
/// Folds a task stream into its list row with the domain's own <see cref="OptioTask.When"/>: the row is turned back
/// into the aggregate (<see cref="TaskSummary.ToTask"/>), the event applied, and the result written out flat again.
/// </summary>
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
        var task = snapshot is null ? OptioTask.Begin(id, e.Data) : snapshot.ToTask().When(e.Data);
        var enteredQueue = task.State == TaskState.Queued && (snapshot is null || snapshot.State != TaskState.Queued);
        return TaskSummary.Of(task) with
        {
            Version = e.Version,
            CreatedAt = snapshot?.CreatedAt ?? StoredPrecision(e.Timestamp),
            UpdatedAt = StoredPrecision(e.Timestamp),
            QueuedAt = enteredQueue ? StoredPrecision(e.Timestamp) : snapshot?.QueuedAt,
        };
    }

    // PostgreSQL keeps microseconds: truncate so a row projected inline equals the same row rebuilt from stored events.
    static DateTimeOffset StoredPrecision(DateTimeOffset t) => t.AddTicks(-(t.Ticks % 10));
}
