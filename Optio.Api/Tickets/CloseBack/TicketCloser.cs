using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.CloseBack;

/// <summary>Writes a completed task back to one provider's ticket (GitHub: comment and close; Linear: move to done).</summary>
public interface ITicketCloser
{
    string Source { get; }

    Task CloseAsync(TicketRef ticket, OptioTask task, CancellationToken ct);
}
