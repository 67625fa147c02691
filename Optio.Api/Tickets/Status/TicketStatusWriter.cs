using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Status;

/// <summary>Shows a task's status on one provider's ticket, editing what the previous publish left there.</summary>
public interface ITicketStatusWriter
{
    string Source { get; }

    /// <param name="previous">What the last successful publish on this ticket left (its comment, its label); null the first time.</param>
    Task<TicketStatusPublished> PublishAsync(TicketProvider provider, TicketRef ticket, TicketStatus status, TicketStatusPublished? previous,
        Guid taskId, CancellationToken ct);
}

/// <summary>The text of the one status comment, the same on GitHub and Linear (both read Markdown).</summary>
public static class TicketStatusText
{
    public static string Markdown(TicketStatus status, Guid taskId)
    {
        var line = status.State switch
        {
            TicketStatus.Queued => "**Queued**: waiting for an agent to pick it up.",
            TicketStatus.Running => "**Running**: an agent is working on it.",
            TicketStatus.PrOpen => $"**Pull request opened**: {status.Detail}",
            TicketStatus.NeedsAttention => $"**Needs attention**: {status.Detail}",
            TicketStatus.Done => $"**Done**: {status.Detail ?? "the pull request"} was merged.",
            TicketStatus.Failed => $"**Failed**: {status.Detail}",
            _ => $"**Cancelled**{(status.Detail is { Length: > 0 } why ? $": {why}" : ".")}",
        };
        return $"Optio status: {line}\n\n<sub>Optio edits this comment as the task moves on (task `{taskId}`).</sub>";
    }
}
