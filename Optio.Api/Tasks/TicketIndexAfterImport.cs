using Marten;
using Marten.Events;
using Weasel.Core;
using Optio.Api.Core.Audit;
using Optio.Domain.Tasks;

namespace Optio.Api.Tasks;

/// <summary>
/// After an import, the ticket index again names the task of every ticket the events name (each task's own ticket and
/// the tickets linked onto it), so a sync or webhook after the move finds the imported tasks instead of making new ones.
/// A ticket that was only ever mentioned as a link by an importing provider (never imported or linked itself) is not in
/// the events, so it is not indexed again; it joins its task when it is next seen.
/// </summary>
public sealed class TicketIndexAfterImport : IRebuiltAfterImport
{
    public string Name => "ticket index";

    public async Task<long> RebuildAsync(IDocumentStore store, CancellationToken ct)
    {
        var aliases = new Dictionary<string, TicketAlias>();
        await using (var query = store.QuerySession())
        {
            var events = await query.Events.QueryAllRawEvents()
                .Where(e => e.EventTypesAre(typeof(TicketImported), typeof(TicketLinked)))
                .OrderBy(e => e.Sequence)
                .ToListAsync(ct);
            foreach (var e in events)
            {
                var key = e.Data switch { TicketImported i => i.Ticket.Key.Value, TicketLinked l => l.Ticket.Key.Value, _ => null };
                if (key is not null) aliases.TryAdd(key, new TicketAlias { Id = key, TaskId = e.StreamId });
            }
        }
        if (aliases.Count > 0) await store.BulkInsertAsync(aliases.Values.ToList(), BulkInsertMode.OverwriteExisting, cancellation: ct);
        return aliases.Count;
    }
}
