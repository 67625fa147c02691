namespace Optio.Domain.Tickets;

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

    /// <summary>The unfinished tickets blocking this one; null when the provider was not asked (then blocking is left as it was).</summary>
    public IReadOnlyList<TicketBlocker>? BlockedBy { get; init; }
}
