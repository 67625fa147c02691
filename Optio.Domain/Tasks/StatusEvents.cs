using Optio.Domain.Tickets;

namespace Optio.Domain.Tasks;

/// <summary>
/// Optio showed the task's status on its ticket: <see cref="CommentId"/> is the one status comment (edited in place by
/// the next publish), <see cref="Label"/> the state label Optio put on the ticket (the only one it will ever remove).
/// </summary>
public sealed record TicketStatusPublished(TicketRef Ticket, string Status, string? Detail, string? CommentId, string? Label);

/// <summary>Showing the status on the ticket failed and the retries are spent; the next state change tries again.</summary>
public sealed record TicketStatusPublishFailed(TicketRef Ticket, string Status, string Reason, int Attempts);
