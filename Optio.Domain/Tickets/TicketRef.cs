namespace Optio.Domain.Tickets;

/// <summary>Where a task came from: the provider, its ticket key, and how people refer to it.</summary>
/// <param name="Source">A <see cref="TicketSource"/>: github or linear.</param>
/// <param name="ExternalId">GitHub <c>owner/repo#42</c>; Linear the issue UUID.</param>
/// <param name="Identifier">What people call it: <c>owner/repo#42</c>, or Linear's <c>ENG-42</c>.</param>
public sealed record TicketRef(string Source, string ExternalId, string Identifier, string? Url)
{
    public TicketKey Key => TicketKey.Of(Source, ExternalId);
}
