using JasperFx.Events;
using Marten;
using Optio.Domain.Tasks;

namespace Optio.Api.Webhooks;

/// <summary>The task before and after each of some events, folded from the task streams in one query.</summary>
public static class TaskStates
{
    public static async Task<Dictionary<long, (OptioTask? Before, OptioTask After)>> AroundAsync(
        IQuerySession query, IReadOnlyList<IEvent> events, CancellationToken ct)
    {
        var states = new Dictionary<long, (OptioTask?, OptioTask)>();
        if (events.Count == 0) return states;
        var streams = events.Select(e => e.StreamId).Distinct().ToArray();
        var upTo = events.Max(e => e.Sequence);
        var history = await query.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(streams) && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);

        var wanted = events.Select(e => e.Sequence).ToHashSet();
        var current = new Dictionary<Guid, OptioTask>();
        foreach (var e in history)
        {
            current.TryGetValue(e.StreamId, out var before);
            var after = before is null ? OptioTask.Begin(e.StreamId, e.Data) : before.When(e.Data);
            current[e.StreamId] = after;
            if (wanted.Contains(e.Sequence)) states[e.Sequence] = (before, after);
        }
        return states;
    }
}
