using Optio.Domain.Tickets;

namespace Optio.Api.Tickets;

/// <summary>Turn tickets into tasks, each exactly once.</summary>
public sealed record ImportTickets(IReadOnlyList<IncomingTicket> Tickets, Guid? ProviderId = null);

/// <summary>What an import did: new tasks, tickets that already had one, tickets linked onto another's task, edits followed.</summary>
public sealed record TicketsImported(int Imported, int Duplicates, int Linked = 0, int Updated = 0)
{
    public IReadOnlyList<Guid> TaskIds { get; init; } = [];
}

public static class ImportTicketsHandler
{
    public static Task<TicketsImported> Handle(ImportTickets command, TicketImporter importer, CancellationToken ct) =>
        importer.ImportAsync(command.Tickets, command.ProviderId, ct);
}
