namespace Optio.Domain.Tickets;

/// <summary>What a provider says about a ticket beyond its text. Priority uses Linear's 0–4 scale (0 = none, 1 = urgent).</summary>
public sealed record TicketMetadata(
    IReadOnlyList<string> Labels,
    string? Assignee = null,
    int? Priority = null,
    string? Team = null,
    string? Project = null,
    /// <summary>Which kind of agent should take the task, when the person assigning it said so.</summary>
    string? AgentType = null)
{
    public static readonly TicketMetadata None = new([]);
}
