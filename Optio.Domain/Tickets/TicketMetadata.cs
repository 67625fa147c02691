namespace Optio.Domain.Tickets;

/// <summary>What a provider says about a ticket beyond its text. Priority uses Linear's 0–4 scale (0 = none, 1 = urgent).</summary>
public sealed record TicketMetadata(
    IReadOnlyList<string> Labels,
    string? Assignee = null,
    int? Priority = null,
    string? Team = null,
    string? Project = null,
    /// <summary>Which kind of agent should take the task, when the person assigning it said so.</summary>
    string? AgentType = null,
    /// <summary>GitHub's milestone title.</summary>
    string? Milestone = null)
{
    public static readonly TicketMetadata None = new([]);

    /// <summary>Equal when every field is, labels as a set (a record alone compares the list by reference; providers need not keep their order).</summary>
    public bool Equals(TicketMetadata? other) =>
        other is not null && SortedLabels.SequenceEqual(other.SortedLabels) && Assignee == other.Assignee && Priority == other.Priority
        && Team == other.Team && Project == other.Project && AgentType == other.AgentType && Milestone == other.Milestone;

    IEnumerable<string> SortedLabels => Labels.Order(StringComparer.Ordinal);

    public override int GetHashCode() =>
        HashCode.Combine(string.Join('\n', SortedLabels), Assignee, Priority, Team, Project, AgentType, Milestone);
}
