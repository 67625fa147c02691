using JasperFx.Events;
using Marten;
using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>What a page of task events did: the state before and the task after each event, and where each task now stands.</summary>
public sealed record PageFold(Dictionary<long, (TaskState? Previous, OptioTask After)> Around, IReadOnlyList<ScheduledTask> Tasks)
{
    /// <summary>
    /// Folds every task event of a page (all of them, in order) onto the tasks as the scheduler last stored them: one
    /// batched load, no event read. A stream it has no memory of just before the page (stored before that memory
    /// existed, or the subscription was rewound) is folded from its start once, and remembered from then on.
    /// </summary>
    public static async Task<PageFold> OfAsync(IQuerySession query, IReadOnlyList<IEvent> page, CancellationToken ct)
    {
        var around = new Dictionary<long, (TaskState?, OptioTask)>();
        if (page.Count == 0) return new(around, []);
        var firstVersion = page.GroupBy(e => e.StreamId).ToDictionary(g => g.Key, g => g.Min(e => e.Version));
        var known = (await query.LoadManyAsync<ScheduledTask>(ct, firstVersion.Keys.ToArray()))
            .Where(k => k.Version == firstVersion[k.Id] - 1).ToDictionary(k => k.Id);
        var unknown = firstVersion.Where(s => s.Value > 1 && !known.ContainsKey(s.Key)).Select(s => s.Key).ToArray();
        var before = page.Min(e => e.Sequence);
        IReadOnlyList<IEvent> history = unknown.Length == 0 ? [] : await query.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(unknown) && e.Sequence < before)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);

        var current = known.ToDictionary(k => k.Key, k => k.Value.Task);
        var justBorn = known.Values.Where(k => k.JustBorn).Select(k => k.Id).ToHashSet();
        var versions = new Dictionary<Guid, long>();
        foreach (var e in history.Concat(page.OrderBy(e => e.Sequence)))
        {
            current.TryGetValue(e.StreamId, out var previous);
            var after = previous is null ? OptioTask.Begin(e.StreamId, e.Data) : previous.When(e.Data);
            current[e.StreamId] = after;
            versions[e.StreamId] = e.Version;
            // Birth (TaskCreated / TicketImported) already says "queued"; the TaskQueued stored with it is the same step out
            // of nothing, not a move from queued to queued: neither has a previous state.
            var previousState = previous is null || (e.Data is TaskQueued && justBorn.Contains(e.StreamId)) ? (TaskState?)null : previous.State;
            if (TaskEvents.StartsATask(e.Data)) justBorn.Add(e.StreamId);
            else if (TaskEvents.StateChanges.Contains(e.EventType)) justBorn.Remove(e.StreamId);
            around[e.Sequence] = (previousState, after);
        }
        var tasks = versions.Select(v => new ScheduledTask
        {
            Id = v.Key, Version = v.Value, JustBorn = justBorn.Contains(v.Key), Task = current[v.Key] with { Prompt = "" },
        }).ToList();
        return new(around, tasks);
    }
}
