using Optio.Api.Tickets.CloseBack;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Linear;

/// <summary>Moves a Linear issue, found by its stable UUID, to its team's first completed workflow state.</summary>
public sealed class LinearTicketCloser(LinearAccess access) : ITicketCloser
{
    public string Source => TicketSource.Linear;

    public async Task CloseAsync(TicketRef ticket, OptioTask task, CancellationToken ct)
    {
        var settings = await access.ForTicketAsync(task.ProviderId, ct);
        await access.Client().CompleteIssueAsync(settings, Guid.Parse(ticket.ExternalId), ct);
    }
}
