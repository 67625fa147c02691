using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Projections.TaskList;

/// <summary>
/// A row of the task list: the task as it is now, plus the stream facts a list needs
/// (version, when it was created, when it last entered the queue). One row per stream, so a
/// ticket (one stream) is never listed twice.
/// </summary>
public sealed record TaskSummary
{
    public Guid Id { get; init; }
    public OptioTask Task { get; init; } = new();
    public TaskState State { get; init; }
    public string Source { get; init; } = TicketSource.Manual;
    public string? RepoUrl { get; init; }
    public Guid? ProviderId { get; init; }
    public long Version { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When the task last entered the queue: claims take the oldest first.</summary>
    public DateTimeOffset? QueuedAt { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}
