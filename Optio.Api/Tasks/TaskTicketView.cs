using Optio.Domain.Tickets;

namespace Optio.Api.Tasks;

/// <summary>
/// The ticket a task was born from, as the API shows it: where it lives (<see cref="Key"/> is the normalised ticket key,
/// <c>github:acme/webapp#42</c> or <c>linear:&lt;uuid&gt;</c>) and what the provider says about it. <see cref="Priority"/>,
/// <see cref="Team"/> and <see cref="Project"/> come from Linear, <see cref="Milestone"/> from GitHub; labels and assignee from both.
/// </summary>
public sealed record TaskTicketView(
    string Source,
    string Key,
    string ExternalId,
    string Identifier,
    string? Url,
    IReadOnlyList<string> Labels,
    string? Assignee,
    int? Priority,
    string? Team,
    string? Project,
    string? Milestone,
    string? AgentType)
{
    public static TaskTicketView? From(TicketRef? ticket, TicketMetadata? metadata)
    {
        if (ticket is null) return null;
        var m = metadata ?? TicketMetadata.None;
        return new(ticket.Source, ticket.Key.Value, ticket.ExternalId, ticket.Identifier, ticket.Url,
            m.Labels, m.Assignee, m.Priority, m.Team, m.Project, m.Milestone, m.AgentType);
    }
}
