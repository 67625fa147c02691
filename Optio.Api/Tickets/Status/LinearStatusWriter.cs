using Optio.Api.Tickets.Linear;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Status;

/// <summary>
/// Linear: a running task moves its issue to the team's first started state (unless it is already started or later), and
/// one comment is kept current. Completion's move to the first completed state stays close-back's.
/// </summary>
public sealed class LinearStatusWriter(LinearAccess access) : ITicketStatusWriter
{
    public string Source => TicketSource.Linear;

    public async Task<TicketStatusPublished> PublishAsync(TicketProvider provider, TicketRef ticket, TicketStatus status,
        TicketStatusPublished? previous, Guid taskId, CancellationToken ct)
    {
        var settings = await access.ForProviderAsync(provider, ct);
        var issueId = Guid.Parse(ticket.ExternalId);
        var client = access.Client();
        if (status.State == TicketStatus.Running) await client.StartIssueAsync(settings, issueId, ct);
        var comment = await client.UpsertCommentAsync(settings, issueId, previous?.CommentId, TicketStatusText.Markdown(status, taskId), ct);
        return new TicketStatusPublished(ticket, status.State, status.Detail, comment, Label: null);
    }
}
