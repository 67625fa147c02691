using Optio.Domain.Tickets;

namespace Optio.Domain.Tasks;

/// <summary>
/// The task aggregate: an immutable record folded from its stream (<see cref="When"/>), and the
/// pure decisions that turn a command into events or a <see cref="Refusal"/>.
/// </summary>
public sealed record OptioTask
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string Prompt { get; init; } = "";
    public string? RepoUrl { get; init; }
    public TicketRef? Ticket { get; init; }
    /// <summary>Other tickets that are the same work item.</summary>
    public IReadOnlyList<TicketRef> LinkedTickets { get; init; } = [];
    public TicketMetadata? Metadata { get; init; }
    /// <summary>On <see cref="TaskPriority"/>'s scale: the ticket's (Linear's, or mapped from GitHub labels), or given on creation.</summary>
    public int? Priority { get; init; }
    /// <summary>The ticket provider that imported the task, if any.</summary>
    public Guid? ProviderId { get; init; }
    public TaskState State { get; init; }
    public string? RunnerId { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? PrUrl { get; init; }
    /// <summary>Why the task last failed, was cancelled, needs attention or was requeued.</summary>
    public string? Reason { get; init; }
    /// <summary>Whether the ticket was written back after completion (true), failed to (false), or not yet (null).</summary>
    public bool? TicketWrittenBack { get; init; }
    /// <summary>The unfinished tickets blocking the task's own ticket: while there are any, the task is not handed out.</summary>
    public IReadOnlyList<TicketBlocker> BlockedBy { get; init; } = [];
    /// <summary>Keys of the tickets (own and linked) already written back.</summary>
    public IReadOnlyList<string> ClosedTickets { get; init; } = [];

    public static OptioTask Begin(Guid id, object first) => new OptioTask { Id = id }.When(first);

    public OptioTask When(object @event) => @event switch
    {
        TaskCreated e => this with { Title = e.Title, Prompt = e.Prompt, RepoUrl = e.RepoUrl, Priority = e.Priority, State = TaskState.Queued },
        TicketImported e => this with
        {
            Title = e.Title, Prompt = e.Prompt, RepoUrl = e.RepoUrl, Ticket = e.Ticket, Metadata = e.Metadata,
            ProviderId = e.ProviderId, Priority = e.Metadata?.Priority, State = TaskState.Queued,
        },
        TicketLinked e => this with { LinkedTickets = [.. LinkedTickets, e.Ticket] },
        TaskQueued => this with { State = TaskState.Queued },
        TaskClaimed e => this with { State = TaskState.Provisioning, RunnerId = e.RunnerId, LeaseExpiresAt = e.LeaseExpiresAt, Reason = null },
        LeaseRenewed e => this with { LeaseExpiresAt = e.LeaseExpiresAt },
        TaskStarted => this with { State = TaskState.Running },
        PrOpened e => this with { State = TaskState.PrOpened, PrUrl = e.PrUrl, LeaseExpiresAt = null, Reason = null },
        PrNeedsAttention e => this with { State = TaskState.NeedsAttention, Reason = e.Reason, LeaseExpiresAt = null },
        PrAttentionCleared => this with { State = TaskState.PrOpened, Reason = null },
        PrMerged => this with { State = TaskState.Completed, Reason = null },
        PrClosedUnmerged e => this with { State = TaskState.Failed, Reason = e.Reason },
        TaskFailed e => Released(TaskState.Failed, e.Reason),
        TaskCancelled e => Released(TaskState.Cancelled, e.Reason),
        TaskRequeued e => Released(TaskState.Queued, e.Reason),
        TicketUpdated e => this with
        {
            Title = e.Title, Prompt = e.Prompt, Metadata = e.Metadata ?? Metadata, Priority = e.Metadata is { } m ? m.Priority : Priority,
        },
        TicketClosed e => this with
        {
            ClosedTickets = [.. ClosedTickets, e.Ticket.Key.Value],
            TicketWrittenBack = e.Ticket == Ticket ? true : TicketWrittenBack,
        },
        TicketCloseFailed e => this with
        {
            TicketWrittenBack = e.Ticket == Ticket ? false : TicketWrittenBack,
            Reason = $"closing {e.Ticket.Identifier} failed after {e.Attempts} attempts: {e.Reason}",
        },
        TaskBlocked e => this with { BlockedBy = e.BlockedBy },
        TaskUnblocked => this with { BlockedBy = [] },
        _ => this,
    };

    OptioTask Released(TaskState state, string reason) =>
        this with { State = state, Reason = reason, RunnerId = null, LeaseExpiresAt = null };

    // ---- decisions -------------------------------------------------------------------------

    public Decision Claim(string runnerId, TimeSpan lease, DateTimeOffset now) =>
        State == TaskState.Queued && BlockedBy.Count > 0
            ? Decision.Refuse(new Refusal("claim", State,
                $"Cannot claim: the ticket is blocked by {string.Join(", ", BlockedBy.Select(b => b.Identifier))}, which {(BlockedBy.Count == 1 ? "is" : "are")} not finished."))
            : Move("claim", TaskState.Provisioning, new TaskClaimed(runnerId, now + lease));

    public Decision Heartbeat(string runnerId, TimeSpan lease, DateTimeOffset now)
    {
        if (State is not (TaskState.Provisioning or TaskState.Running))
            return Decision.Refuse(new Refusal("heartbeat", State,
                $"Cannot heartbeat: the task is {State.WireName()}; only a provisioning or running task holds a lease."));
        if (!string.Equals(runnerId, RunnerId, StringComparison.Ordinal))
            return Decision.Refuse(new Refusal("heartbeat", State,
                $"Cannot heartbeat: the lease is held by runner '{RunnerId}', not '{runnerId}'."));
        return Decision.Accept(new LeaseRenewed(runnerId, now + lease));
    }

    public Decision Start(string? runnerId)
    {
        if (State == TaskState.Provisioning && runnerId is not null && runnerId != RunnerId)
            return Decision.Refuse(new Refusal("start", State,
                $"Cannot start: the task is claimed by runner '{RunnerId}', not '{runnerId}'."));
        return Move("start", TaskState.Running, new TaskStarted(runnerId ?? RunnerId ?? "unknown"));
    }

    public Decision OpenPr(string prUrl) =>
        State == TaskState.PrOpened && string.Equals(PrUrl, prUrl, StringComparison.OrdinalIgnoreCase)
            ? Decision.Nothing
            : Move("report a pull request", TaskState.PrOpened, new PrOpened(prUrl));

    /// <summary>A running task that has reported no pull request: the only kind a found pull request is linked to.</summary>
    public bool AwaitsPullRequest() => State is TaskState.Running && PrUrl is null;

    /// <summary>A pull request found naming this task (its branch, or a closing keyword for its ticket) becomes its PR while it runs without one.</summary>
    public Decision LinkFoundPr(string prUrl) => AwaitsPullRequest() ? OpenPr(prUrl) : Decision.Nothing;

    public Decision NeedAttention(string reason) =>
        State == TaskState.NeedsAttention && Reason == reason
            ? Decision.Nothing
            : Move("flag for attention", TaskState.NeedsAttention, new PrNeedsAttention(reason));

    public Decision Merge(string prUrl) =>
        State == TaskState.Completed ? Decision.Nothing : Move("complete", TaskState.Completed, new PrMerged(prUrl));

    public Decision CloseUnmerged(string prUrl) =>
        Move("fail on a closed pull request", TaskState.Failed, ClosedUnmerged(prUrl));

    static PrClosedUnmerged ClosedUnmerged(string prUrl) => new(prUrl, $"Pull request {prUrl} was closed without being merged.");

    /// <summary>
    /// Follows the task's pull request: merged completes the task, closed unmerged fails it, failing CI or
    /// requested changes need attention, and once resolved the task is back to waiting for the merge.
    /// A fact already recorded appends nothing, so a poll and a webhook seeing the same change agree.
    /// </summary>
    public Decision Observe(PullRequests.PrObservation pr)
    {
        if (State is not (TaskState.PrOpened or TaskState.NeedsAttention) || !string.Equals(pr.PrUrl, PrUrl, StringComparison.OrdinalIgnoreCase))
            return Decision.Nothing;
        // A settled pull request first takes a task needing attention back to waiting for the merge.
        object[] settling = State == TaskState.NeedsAttention ? [new PrAttentionCleared("pull request settled")] : [];
        if (pr.Merged) return Walk("complete", [.. settling, new PrMerged(pr.PrUrl)]);
        if (!pr.Open) return Walk("fail on a closed pull request", [.. settling, ClosedUnmerged(pr.PrUrl)]);
        if (pr.Trouble is { } trouble)
            return trouble == Reason && State == TaskState.NeedsAttention ? Decision.Nothing : Walk("flag for attention", new PrNeedsAttention(trouble));
        if (State == TaskState.NeedsAttention && pr.KnownHealthy) return Walk("clear attention", new PrAttentionCleared("CI passes and no review requests changes"));
        return Decision.Nothing;
    }

    /// <summary>
    /// The ticket changed upstream (its text, or its labels, assignee, priority…; null <paramref name="metadata"/>: not
    /// known). Only the ticket the task was born from is followed, not a linked one, and only while the task is queued:
    /// nobody works on it yet; later edits are ignored. An agent type chosen on assign is kept.
    /// </summary>
    public Decision FollowTicketEdit(TicketKey ticket, string title, string prompt, TicketMetadata? metadata = null)
    {
        if (State != TaskState.Queued || ticket != Ticket?.Key) return Decision.Nothing;
        var followed = metadata is null ? null : metadata with { AgentType = metadata.AgentType ?? Metadata?.AgentType };
        var changed = title != Title || prompt != Prompt || followed is not null && !followed.Equals(Metadata);
        return changed ? Decision.Accept(new TicketUpdated(title, prompt, followed)) : Decision.Nothing;
    }

    /// <summary>
    /// What the provider says about the task's own ticket now: its edits (<see cref="FollowTicketEdit"/>) and, when the
    /// provider was asked, what blocks it (<see cref="FollowBlockers"/>). The one decision sync and webhooks both make.
    /// </summary>
    public Decision FollowTicket(IncomingTicket ticket)
    {
        var edit = FollowTicketEdit(ticket.Ticket.Key, ticket.Title, ticket.Prompt, ticket.Metadata);
        if (ticket.BlockedBy is not { } blockers) return edit;
        var edited = edit.Events.Aggregate(this, (task, e) => task.When(e));
        return new Decision([.. edit.Events, .. edited.FollowBlockers(ticket.Ticket.Key, blockers).Events]);
    }

    /// <summary>
    /// The unfinished tickets blocking the task's own ticket, as the provider lists them now. Only a change is recorded:
    /// blocked by a different set, or by none any more; the same blockers seen again append nothing. A completed task
    /// has nothing left to hand out.
    /// </summary>
    public Decision FollowBlockers(TicketKey ticket, IReadOnlyList<TicketBlocker> unfinished)
    {
        if (ticket != Ticket?.Key || State == TaskState.Completed) return Decision.Nothing;
        var now = unfinished.DistinctBy(b => b.Key).OrderBy(b => b.Key, StringComparer.Ordinal).ToList();
        if (now.SequenceEqual(BlockedBy)) return Decision.Nothing;
        return now.Count == 0 ? Decision.Accept(new TaskUnblocked("every blocking ticket is finished")) : Decision.Accept(new TaskBlocked(now));
    }

    /// <summary>A ticket finished upstream (closed, completed): if it blocked this task, it no longer does.</summary>
    public Decision FollowBlockerFinished(TicketKey blocker) =>
        Ticket is { } own && BlockedBy.Any(b => b.Key == blocker.Value)
            ? FollowBlockers(own.Key, [.. BlockedBy.Where(b => b.Key != blocker.Value)])
            : Decision.Nothing;

    /// <summary>
    /// One of the task's tickets (its own or a linked one) was closed or lost its label upstream: a task still queued is
    /// cancelled; one in progress carries on.
    /// </summary>
    public Decision FollowTicketWithdrawn(TicketKey ticket, string reason) =>
        State == TaskState.Queued && AllTickets.Any(t => t.Key == ticket) ? Walk("cancel", new TaskCancelled(reason)) : Decision.Nothing;

    /// <summary>Every ticket this task answers for: its own and the linked ones.</summary>
    public IEnumerable<TicketRef> AllTickets => Ticket is null ? LinkedTickets : LinkedTickets.Prepend(Ticket);

    public Decision RecordTicketClosed(TicketRef ticket) =>
        ClosedTickets.Contains(ticket.Key.Value) ? Decision.Nothing : Decision.Accept(new TicketClosed(ticket));

    public Decision RecordTicketCloseFailed(TicketRef ticket, string reason, int attempts) =>
        ClosedTickets.Contains(ticket.Key.Value) ? Decision.Nothing : Decision.Accept(new TicketCloseFailed(ticket, reason, attempts));

    public Decision Fail(string reason) => Move("fail", TaskState.Failed, new TaskFailed(reason));

    public Decision Cancel(string reason) => Move("cancel", TaskState.Cancelled, new TaskCancelled(reason));

    public Decision Retry(string reason = "retry requested") => Move("retry", TaskState.Queued, new TaskRequeued(reason));

    /// <summary>
    /// A runner that stops heartbeating loses its lease: a claimed task goes back to the queue,
    /// a running one fails (its work is in an unknown state). Nothing happens before expiry.
    /// </summary>
    public Decision ExpireLease(DateTimeOffset now)
    {
        if (LeaseExpiresAt is not { } expiry || expiry > now)
            return Decision.Nothing;
        var why = $"lease expired at {expiry:O}: runner '{RunnerId}' stopped sending heartbeats";
        return State switch
        {
            TaskState.Provisioning => Walk("requeue on an expired lease", new TaskRequeued(why)),
            TaskState.Running => Walk("fail on an expired lease", new TaskFailed(why)),
            _ => Decision.Nothing,
        };
    }

    Decision Move(string action, TaskState target, object @event) =>
        TaskTransitions.CanMove(State, target) ? Decision.Accept(@event) : Decision.Refuse(new Refusal(action, State));

    /// <summary>
    /// Accepts <paramref name="events"/> if every state change they make, one after the other, is in the table. An event
    /// that leaves the state as it is (a new reason for the same attention) is not a move.
    /// </summary>
    Decision Walk(string action, params object[] events)
    {
        var at = this;
        foreach (var e in events)
        {
            var next = at.When(e);
            if (next.State != at.State && !TaskTransitions.CanMove(at.State, next.State)) return Decision.Refuse(new Refusal(action, State));
            at = next;
        }
        return Decision.Accept(events);
    }
}
