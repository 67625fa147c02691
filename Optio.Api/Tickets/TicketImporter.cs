using JasperFx;
using Marten;
using Optio.Api.Core;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Api.Tickets;

/// <summary>
/// Tickets become tasks exactly once. Every ticket key gets a row in the ticket index, inserted
/// in the same transaction as the task's stream; PostgreSQL's primary keys on both refuse a
/// second task for the same ticket, or for a ticket linked to one that already has a task. A
/// batch that loses such a race reloads the index and decides again. Writes are batched: one
/// index read and one save per 500 tickets, never a round trip per ticket.
/// </summary>
public sealed class TicketImporter(IDocumentStore store, TaskWriter writer)
{
    public const int BatchSize = 500;

    public async Task<TicketsImported> ImportAsync(IReadOnlyList<IncomingTicket> tickets, Guid? providerId, CancellationToken ct)
    {
        var unique = tickets.GroupBy(t => t.Ticket.Key.Value).Select(g => g.First()).ToList();
        var total = new TicketsImported(0, tickets.Count - unique.Count);
        var taskIds = new List<Guid>();
        foreach (var chunk in unique.Chunk(BatchSize))
        {
            var (report, ids, edits) = await ImportChunkAsync(chunk, providerId, ct);
            var updated = await FollowEditsAsync(edits, ct);
            total = new TicketsImported(total.Imported + report.Imported, total.Duplicates + report.Duplicates,
                total.Linked + report.Linked, total.Updated + updated);
            taskIds.AddRange(ids);
        }
        OptioMetrics.TicketsImported.Add(total.Imported);
        OptioMetrics.TicketsDuplicate.Add(total.Duplicates);
        return total with { TaskIds = taskIds };
    }

    async Task<(TicketsImported Report, List<Guid> TaskIds, List<(Guid TaskId, IncomingTicket Ticket)> Existing)> ImportChunkAsync(
        IncomingTicket[] chunk, Guid? providerId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var keys = chunk.SelectMany(t => t.LinkedTickets.Append(t.Ticket.Key)).Select(k => k.Value).Distinct().ToArray();
            var index = (await session.LoadManyAsync<TicketAlias>(ct, keys)).ToDictionary(a => a.Id, a => a.TaskId);

            int imported = 0, duplicates = 0, linked = 0;
            var taskIds = new List<Guid>();
            var existing = new List<(Guid, IncomingTicket)>();
            var links = new Dictionary<Guid, List<object>>();
            foreach (var ticket in chunk)
            {
                var own = ticket.Ticket.Key.Value;
                if (index.TryGetValue(own, out var taskId))
                {
                    duplicates++;
                    existing.Add((taskId, ticket));
                }
                else if (ticket.LinkedTickets.Select(k => k.Value).FirstOrDefault(index.ContainsKey) is { } linkedKey)
                {
                    taskId = index[linkedKey];
                    links.TryAdd(taskId, []);
                    links[taskId].Add(new TicketLinked(ticket.Ticket, providerId));
                    Index(session, index, own, taskId);
                    linked++;
                }
                else
                {
                    taskId = ticket.Ticket.Key.TaskId;
                    object[] born = [new TicketImported(ticket.Ticket, ticket.Title, ticket.Prompt, ticket.RepoUrl, ticket.Metadata, providerId), new TaskQueued()];
                    // Blocked from the start: recorded by the same decision a later sync makes, so that sync writes nothing.
                    var blocked = ticket.BlockedBy is { } blockers
                        ? OptioTask.Begin(taskId, born[0]).When(born[1]).FollowBlockers(ticket.Ticket.Key, blockers).Events
                        : [];
                    session.Events.StartStream<OptioTask>(taskId, [.. born, .. blocked]);
                    Index(session, index, own, taskId);
                    foreach (var key in ticket.LinkedTickets) Index(session, index, key.Value, taskId);
                    imported++;
                }
                taskIds.Add(taskId);
            }
            await AppendLinksAsync(session, links, ct);
            try
            {
                await session.SaveChangesAsync(ct);
                return (new TicketsImported(imported, duplicates, linked), taskIds, existing);
            }
            catch (Exception e) when (attempt < 10 && IsLostRace(e))
            {
                // Another importer (a sync, a webhook, an assign, another node) got there between our read and our write.
            }
        }
    }

    /// <summary>Appends at the stream's version, so the list row gets the events' versions and a concurrent write is a lost race.</summary>
    static async Task AppendLinksAsync(IDocumentSession session, Dictionary<Guid, List<object>> links, CancellationToken ct)
    {
        if (links.Count == 0) return;
        var rows = await session.LoadManyAsync<TaskSummary>(ct, links.Keys.ToArray());
        foreach (var row in rows) session.Events.Append(row.Id, row.Version + links[row.Id].Count, [.. links[row.Id]]);
    }

    static void Index(IDocumentSession session, Dictionary<string, Guid> index, string key, Guid taskId)
    {
        if (!index.TryAdd(key, taskId)) return;
        session.Insert(new TicketAlias { Id = key, TaskId = taskId });
    }

    /// <summary>Edits and blockers upstream reach the tasks the aggregate says follow them (<see cref="OptioTask.FollowTicket"/>).</summary>
    async Task<int> FollowEditsAsync(List<(Guid TaskId, IncomingTicket Ticket)> existing, CancellationToken ct)
    {
        if (existing.Count == 0) return 0;
        IReadOnlyList<TaskSummary> rows;
        await using (var query = store.QuerySession())
            rows = await query.LoadManyAsync<TaskSummary>(ct, existing.Select(e => e.TaskId).Distinct().ToArray());
        var byId = rows.ToDictionary(r => r.Id);

        var updated = 0;
        foreach (var (taskId, ticket) in existing)
        {
            Decision Follow(OptioTask task) => task.FollowTicket(ticket);
            if (!byId.TryGetValue(taskId, out var row) || Follow(row.ToTask()).Events.Count == 0) continue; // nothing to follow: no round trip
            var outcome = await writer.DecideAsync(taskId, null, Follow, ct);
            if (outcome is WriteOutcome.Written { Appended: > 0 }) updated++;
        }
        return updated;
    }

    static bool IsLostRace(Exception e) =>
        e is DocumentAlreadyExistsException or ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException
            or JasperFx.Events.ExistingStreamIdCollisionException
        || e.InnerException is { } inner && IsLostRace(inner);
}
