using Optio.Domain.Tickets;

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
    IReadOnlyList<TicketKey> LinkedTickets)
{
    // Whatever the provider sent, what is stored can be stored (see StorableText).
    public string Title { get; init; } = StorableText.Of(Title);
    public string Prompt { get; init; } = StorableText.Of(Prompt);
    public TicketMetadata Metadata { get; init; } = Metadata with { Labels = Metadata.Labels.Select(StorableText.Of).ToList() };
}

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
