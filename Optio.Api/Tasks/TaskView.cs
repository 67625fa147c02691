using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

/// <summary>A task as the API shows it.</summary>
public sealed record TaskView(
    Guid Id,
    string Title,
    string Prompt,
    string? RepoUrl,
    string Source,
    TaskTicketView? Ticket,
    TaskState State,
    /// <summary>On Linear's scale: 1 urgent, 2 high, 3 medium, 4 low, 0 or null none.</summary>
    int? Priority,
    /// <summary>The unfinished tickets blocking the task's ticket (identifier, url): it is not handed out while there are any.</summary>
    BlockerList BlockedBy,
    string? RunnerId,
    DateTimeOffset? LeaseExpiresAt,
    string? PrUrl,
    string? Reason,
    bool? TicketWrittenBack,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TaskView From(TaskSummary s) => new(
        s.Id, s.Title, s.Prompt, s.RepoUrl, s.Source, TaskTicketView.From(s.Ticket, s.Metadata), s.State, s.Priority, [.. s.BlockedBy], s.RunnerId,
        s.LeaseExpiresAt, s.PrUrl, s.Reason, s.TicketWrittenBack, s.Version, s.CreatedAt, s.UpdatedAt);
}

/// <summary>The tickets blocking a task, equal when they hold the same blockers in the same order (so views compare by value).</summary>
public sealed class BlockerList : List<Optio.Domain.Tickets.TicketBlocker>, IEquatable<BlockerList>
{
    public bool Equals(BlockerList? other) => other is not null && this.SequenceEqual(other);

    public override bool Equals(object? obj) => obj is BlockerList other && Equals(other);

    public override int GetHashCode() => Count;
}

/// <summary>A page of the task list; <see cref="HasMore"/> says whether <c>page + 1</c> has tasks.</summary>
public sealed record TaskPage(IReadOnlyList<TaskView> Items, int Page, int PageSize, bool HasMore);
