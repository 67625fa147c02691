using JasperFx.Events;
using Marten;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Api.Tickets;

/// <summary>A ticket as a provider reports it, ready to become a task.</summary>
/// <param name="RepoUrl">The normalised GitHub repository the work happens in, when known.</param>
/// <param name="LinkedTickets">Other tickets that are the same work item (a Linear issue's GitHub attachment).</param>
public sealed record IncomingTicket(
    TicketRef Ticket,
    string Title,
    string Prompt,
    string? RepoUrl,
    TicketMetadata Metadata,
    IReadOnlyList<TicketKey> LinkedTickets);

/// <summary>Turn tickets into tasks, each exactly once.</summary>
public sealed record ImportTickets(IReadOnlyList<IncomingTicket> Tickets);

public sealed record TicketsImported(int Imported, int Duplicates);

/// <summary>
/// Each ticket's task id is the UUIDv5 of its key, so PostgreSQL's primary key on the stream is
/// what stops a second task: a batch that loses a race to another importer reloads which tickets
/// now exist and starts only the rest. Writes are batched, never one round trip per ticket.
/// </summary>
public static class ImportTicketsHandler
{
    public const int BatchSize = 500;

    public static async Task<TicketsImported> Handle(ImportTickets command, IDocumentStore store, CancellationToken ct)
    {
        var byId = command.Tickets
            .GroupBy(t => t.Ticket.Key.TaskId)
            .ToDictionary(g => g.Key, g => g.First());
        var imported = 0;
        foreach (var chunk in byId.Keys.Chunk(BatchSize))
            imported += await ImportChunkAsync(store, chunk, byId, ct);

        var duplicates = command.Tickets.Count - imported;
        OptioMetrics.TicketsImported.Add(imported);
        OptioMetrics.TicketsDuplicate.Add(duplicates);
        return new TicketsImported(imported, duplicates);
    }

    static async Task<int> ImportChunkAsync(IDocumentStore store, Guid[] ids, Dictionary<Guid, IncomingTicket> tickets, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var existing = (await session.Query<TaskSummary>().Where(x => x.Id.IsOneOf(ids)).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
            var fresh = ids.Where(id => !existing.Contains(id)).ToList();
            foreach (var id in fresh)
            {
                var t = tickets[id];
                session.Events.StartStream<OptioTask>(id, new TicketImported(t.Ticket, t.Title, t.Prompt, t.RepoUrl, t.Metadata), new TaskQueued());
            }
            try
            {
                await session.SaveChangesAsync(ct);
                return fresh.Count;
            }
            catch (Exception e) when (attempt < 10 && IsStreamCollision(e))
            {
                // Another importer created some of these tasks between our read and our write.
            }
        }
    }

    static bool IsStreamCollision(Exception e) =>
        e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException
        || e.InnerException is { } inner && IsStreamCollision(inner);
}
