using JasperFx.Events;
using Marten;
using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>The task's state before and the task after each of some events, folded from the task streams in one query.</summary>
public static class TaskStates
{
    public static async Task<Dictionary<long, (TaskState? Previous, OptioTask After)>> AroundAsync(
        IQuerySession query, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var states = new Dictionary<long, (TaskState?, OptioTask)>();
        if (events.Count == 0) return states;
        var streams = events.Select(e => e.StreamId).Distinct().ToArray();
        var upTo = events.Max(e => e.Sequence);
        var history = await query.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(streams) && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);

        var wanted = events.Select(e => e.Sequence).ToHashSet();
        var current = new Dictionary<Guid, OptioTask>();
        var justBorn = new HashSet<Guid>();
        foreach (var e in history)
        {
            current.TryGetValue(e.StreamId, out var before);
            var after = before is null ? OptioTask.Begin(e.StreamId, e.Data) : before.When(e.Data);
            current[e.StreamId] = after;
            // Birth (TaskCreated / TicketImported) already says "queued"; the TaskQueued stored with it is the same step out
            // of nothing, not a move from queued to queued: neither has a previous state.
            var previous = before is null || (e.Data is TaskQueued && justBorn.Contains(e.StreamId)) ? (TaskState?)null : before.State;
            if (TaskEvents.StartsATask(e.Data)) justBorn.Add(e.StreamId);
            else if (TaskEvents.StateChanges.Contains(e.EventType)) justBorn.Remove(e.StreamId);
            if (wanted.Contains(e.Sequence)) states[e.Sequence] = (previous, after);
        }
        return states;
    }
}
