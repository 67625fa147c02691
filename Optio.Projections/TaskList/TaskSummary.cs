using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Projections.TaskList;

/// <summary>
/// A row of the task list: the task as it is now, field by field, plus the stream facts a list needs
/// (version, when it was created, when it last entered the queue). One row per stream, so a ticket (one
/// stream) is never listed twice. What lists filter or sort by is also a real, indexed column
/// (<see cref="MartenRegistration.AddTaskList"/>).
/// </summary>
public sealed record TaskSummary
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string Prompt { get; init; } = "";
    public TaskState State { get; init; }
    /// <summary>"manual", or the provider of the task's own ticket.</summary>
    public string Source { get; init; } = TicketSource.Manual;
    public string? RepoUrl { get; init; }
    public Guid? ProviderId { get; init; }
    public TicketRef? Ticket { get; init; }
    /// <summary>The normalised key of the task's own ticket (<c>github:acme/webapp#42</c>), not of linked ones.</summary>
    public string? TicketKey { get; init; }
    public IReadOnlyList<TicketRef> LinkedTickets { get; init; } = [];
    public TicketMetadata? Metadata { get; init; }
    /// <summary>The task's priority on Linear's 0–4 scale (<see cref="TaskPriority"/>), when its ticket or its creator gave one.</summary>
    public int? Priority { get; init; }
    /// <summary>Where the task stands in a claim by priority: 1 urgent … 4 low, 5 none (<see cref="TaskPriority.ClaimRank"/>).</summary>
    public int ClaimRank { get; init; } = TaskPriority.ClaimRank(null);
    /// <summary>The unfinished tickets blocking the task's ticket.</summary>
    public IReadOnlyList<TicketBlocker> BlockedBy { get; init; } = [];
    /// <summary>Whether <see cref="BlockedBy"/> holds any: claims skip the task (an indexed column).</summary>
    public bool Blocked { get; init; }
    public string? RunnerId { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? PrUrl { get; init; }
    public string? Reason { get; init; }
    public bool? TicketWrittenBack { get; init; }
    public IReadOnlyList<string> ClosedTickets { get; init; } = [];
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When the task last entered the queue: claims take the oldest first.</summary>
    public DateTimeOffset? QueuedAt { get; init; }

    /// <summary>The aggregate this row shows, for decisions made from a row and for folding the next event.</summary>
    public OptioTask ToTask() => new()
    {
        Id = Id, Title = Title, Prompt = Prompt, RepoUrl = RepoUrl, Ticket = Ticket, LinkedTickets = LinkedTickets,
        Metadata = Metadata, Priority = Priority, ProviderId = ProviderId, State = State, RunnerId = RunnerId, LeaseExpiresAt = LeaseExpiresAt,
        PrUrl = PrUrl, Reason = Reason, TicketWrittenBack = TicketWrittenBack, ClosedTickets = ClosedTickets, BlockedBy = BlockedBy,
    };

    /// <summary>The row of <paramref name="task"/>; the stream facts are the caller's.</summary>
    public static TaskSummary Of(OptioTask task) => new()
    {
        Id = task.Id, Title = task.Title, Prompt = task.Prompt, State = task.State, Source = task.Ticket?.Source ?? TicketSource.Manual,
        RepoUrl = task.RepoUrl, ProviderId = task.ProviderId, Ticket = task.Ticket, TicketKey = task.Ticket?.Key.Value,
        LinkedTickets = task.LinkedTickets, Metadata = task.Metadata, Priority = task.Priority, ClaimRank = TaskPriority.ClaimRank(task.Priority), RunnerId = task.RunnerId,
        LeaseExpiresAt = task.LeaseExpiresAt, PrUrl = task.PrUrl, Reason = task.Reason, TicketWrittenBack = task.TicketWrittenBack,
        ClosedTickets = task.ClosedTickets, BlockedBy = task.BlockedBy, Blocked = task.BlockedBy.Count > 0,
    };
}
