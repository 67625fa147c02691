using Optio.Domain.Tickets;

namespace Optio.Domain.Tasks;

// The task stream's vocabulary. Past tense; never change the meaning of a stored event:
// add a new one (or an upcaster) instead. The stream id is the task id, so events don't repeat it.

/// <summary>A task typed in by a person (no ticket behind it); <see cref="Priority"/> on <see cref="TaskPriority"/>'s scale, null when not given.</summary>
public sealed record TaskCreated(string Title, string Prompt, string? RepoUrl, int? Priority = null);

/// <summary>A task born from a ticket of a provider; its stream id derives from <see cref="Ticket"/>.</summary>
public sealed record TicketImported(TicketRef Ticket, string Title, string Prompt, string? RepoUrl, TicketMetadata? Metadata = null, Guid? ProviderId = null);

/// <summary>Another ticket turned out to be the same work item (a Linear issue linking this GitHub issue, or the reverse).</summary>
public sealed record TicketLinked(TicketRef Ticket, Guid? ProviderId = null);

public sealed record TaskQueued;

public sealed record TaskClaimed(string RunnerId, DateTimeOffset LeaseExpiresAt);

public sealed record LeaseRenewed(string RunnerId, DateTimeOffset LeaseExpiresAt);

public sealed record TaskStarted(string RunnerId);

public sealed record PrOpened(string PrUrl);

public sealed record PrNeedsAttention(string Reason);

/// <summary>What held the pull request up is resolved (CI passes, the review is no longer requesting changes).</summary>
public sealed record PrAttentionCleared(string Reason);

public sealed record PrMerged(string PrUrl);

public sealed record PrClosedUnmerged(string PrUrl, string Reason);

public sealed record TaskFailed(string Reason);

public sealed record TaskCancelled(string Reason);

/// <summary>Back to the queue: an explicit retry, a released claim, or a lease that ran out.</summary>
public sealed record TaskRequeued(string Reason);

/// <summary>The ticket was edited upstream; <see cref="Metadata"/> is null in events stored before it was recorded (nothing changed then).</summary>
public sealed record TicketUpdated(string Title, string Prompt, TicketMetadata? Metadata = null);

/// <summary>The ticket was written back after the task completed (GitHub: commented and closed; Linear: moved to done).</summary>
public sealed record TicketClosed(TicketRef Ticket);

/// <summary>Writing the ticket back failed and the retries are spent.</summary>
public sealed record TicketCloseFailed(TicketRef Ticket, string Reason, int Attempts);

/// <summary>The task's ticket is blocked by these unfinished tickets (all of them, as they stand now): it is not handed out.</summary>
public sealed record TaskBlocked(IReadOnlyList<TicketBlocker> BlockedBy);

/// <summary>Every ticket that blocked the task's ticket is finished (or no longer blocks it): it can be claimed again.</summary>
public sealed record TaskUnblocked(string Reason);

public static class TaskEvents
{
    /// <summary>Every event a task stream holds. Other streams (webhook deliveries) share the store.</summary>
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(TaskCreated), typeof(TicketImported), typeof(TicketLinked), typeof(TaskQueued), typeof(TaskClaimed),
        typeof(LeaseRenewed), typeof(TaskStarted), typeof(PrOpened), typeof(PrNeedsAttention), typeof(PrAttentionCleared),
        typeof(PrMerged), typeof(PrClosedUnmerged), typeof(TaskFailed), typeof(TaskCancelled),
        typeof(TaskRequeued), typeof(TicketUpdated), typeof(TicketClosed), typeof(TicketCloseFailed),
        typeof(TicketStatusPublished), typeof(TicketStatusPublishFailed),
        typeof(TaskBlocked), typeof(TaskUnblocked),
    ];

    /// <summary>Whether the event starts a task stream: only these make a task where there was none.</summary>
    public static bool StartsATask(object e) => e is TaskCreated or TicketImported;

    /// <summary>The events that move a task from one state to another.</summary>
    public static readonly IReadOnlyList<Type> StateChanges =
    [
        typeof(TaskCreated), typeof(TicketImported), typeof(TaskQueued), typeof(TaskClaimed), typeof(TaskStarted), typeof(PrOpened),
        typeof(PrNeedsAttention), typeof(PrAttentionCleared), typeof(PrMerged), typeof(PrClosedUnmerged), typeof(TaskFailed),
        typeof(TaskCancelled), typeof(TaskRequeued),
    ];
}
