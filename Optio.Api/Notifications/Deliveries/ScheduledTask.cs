using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>
/// A task as of the last of its events the delivery scheduler processed, stored in the same transaction as the
/// scheduler's progress: the next page folds on from here instead of from the stream's start.
/// </summary>
public sealed record ScheduledTask
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    /// <summary>Born in the events last processed: the <see cref="TaskQueued"/> stored with a birth has no previous state.</summary>
    public bool JustBorn { get; init; }
    /// <summary>The task without its prompt, which no delivery shows.</summary>
    public OptioTask Task { get; init; } = new();
}
