namespace Optio.Domain.Tasks;

/// <summary>Where a task is in its life. Serialised in snake_case (<c>pr_opened</c>).</summary>
public enum TaskState
{
    Queued,
    Provisioning,
    Running,
    PrOpened,
    NeedsAttention,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>The transition table of DESIGN.md: the only moves a task may make.</summary>
public static class TaskTransitions
{
    static readonly Dictionary<TaskState, TaskState[]> Allowed = new()
    {
        [TaskState.Queued] = [TaskState.Provisioning, TaskState.Cancelled, TaskState.Failed],
        [TaskState.Provisioning] = [TaskState.Running, TaskState.Queued, TaskState.Failed, TaskState.Cancelled],
        [TaskState.Running] = [TaskState.PrOpened, TaskState.NeedsAttention, TaskState.Failed, TaskState.Cancelled],
        [TaskState.PrOpened] = [TaskState.Completed, TaskState.NeedsAttention, TaskState.Failed, TaskState.Cancelled],
        [TaskState.NeedsAttention] = [TaskState.PrOpened, TaskState.Running, TaskState.Queued, TaskState.Cancelled],
        [TaskState.Failed] = [TaskState.Queued],
        [TaskState.Cancelled] = [TaskState.Queued],
        [TaskState.Completed] = [],
    };

    public static IReadOnlyList<TaskState> From(TaskState state) => Allowed[state];

    public static bool CanMove(TaskState from, TaskState to) => Allowed[from].Contains(to);

    /// <summary>The wire name of a state, as the API and webhooks spell it.</summary>
    public static string WireName(this TaskState state) => state switch
    {
        TaskState.PrOpened => "pr_opened",
        TaskState.NeedsAttention => "needs_attention",
        _ => state.ToString().ToLowerInvariant(),
    };

    public static bool TryParseWireName(string? value, out TaskState state)
    {
        foreach (var candidate in Enum.GetValues<TaskState>())
        {
            if (string.Equals(candidate.WireName(), value, StringComparison.OrdinalIgnoreCase))
            {
                state = candidate;
                return true;
            }
        }
        state = default;
        return false;
    }
}
