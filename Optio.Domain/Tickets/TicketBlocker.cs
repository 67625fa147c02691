namespace Optio.Domain.Tickets;

/// <summary>An unfinished ticket that blocks another (Linear's <c>blocks</c> relation, GitHub's issue dependency).</summary>
/// <param name="Key">Its normalised ticket key (<see cref="TicketKey.Value"/>).</param>
/// <param name="Identifier">What people call it: <c>ENG-7</c>, <c>acme/webapp#12</c>.</param>
public sealed record TicketBlocker(string Key, string Identifier, string? Url);
