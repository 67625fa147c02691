namespace Optio.Api.Tickets;

/// <summary>What an import did: new tasks, tickets that already had one, tickets linked onto another's task, edits followed.</summary>
public sealed record TicketsImported(int Imported, int Duplicates, int Linked = 0, int Updated = 0)
{
    public IReadOnlyList<Guid> TaskIds { get; init; } = [];
}
