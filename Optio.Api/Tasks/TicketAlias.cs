namespace Optio.Api.Tasks;

/// <summary>
/// The ticket index: one row per ticket key (<c>github:acme/webapp#42</c>, <c>linear:&lt;uuid&gt;</c>)
/// naming the task that is its work item. Written in the same transaction as the task's stream,
/// its primary key is what makes PostgreSQL refuse a second task for a ticket, or for a ticket
/// linked to one that already has a task.
/// </summary>
public sealed class TicketAlias
{
    public string Id { get; set; } = "";
    public Guid TaskId { get; set; }
}
