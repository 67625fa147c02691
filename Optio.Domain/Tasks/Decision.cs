namespace Optio.Domain.Tasks;

/// <summary>What a command decided: the events to append, or why it was refused.</summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal = null)
{
    public static Decision Accept(params object[] events) => new(events);

    /// <summary>Accepted, but already true: nothing to append.</summary>
    public static readonly Decision Nothing = new([]);

    public static Decision Refuse(Refusal refusal) => new([], refusal);

    public bool IsRefused => Refusal is not null;
}

/// <summary>A command the state machine refused, with what would have been allowed.</summary>
public sealed record Refusal(string Action, TaskState Current, string? Detail = null)
{
    public IReadOnlyList<TaskState> Allowed => TaskTransitions.From(Current);

    public string Message => Detail ?? (Allowed.Count == 0
        ? $"Cannot {Action}: the task is {Current.WireName()}, a final state."
        : $"Cannot {Action}: the task is {Current.WireName()}; from there it may only move to {string.Join(", ", Allowed.Select(s => s.WireName()))}.");
}
