using Optio.Domain.Tasks;

namespace Optio.Domain.Tickets;

/// <summary>
/// What Optio shows on a ticket about its task: a state people read (<see cref="State"/>, with the PR link or the
/// reason in <see cref="Detail"/>) and the one <c>optio:*</c> label that goes with it. A claimed task still shows
/// "queued": nobody outside needs to see a runner being provisioned, and it spares the ticket an edit.
/// </summary>
public sealed record TicketStatus(string State, string? Detail)
{
    public const string Queued = "queued", Running = "running", PrOpen = "pr-open", NeedsAttention = "needs-attention",
        Done = "done", Failed = "failed", Cancelled = "cancelled";

    /// <summary>Optio's state labels with their fixed colours: a ticket carries at most one of them, the one Optio put there.</summary>
    public static readonly IReadOnlyDictionary<string, string> LabelColours = new Dictionary<string, string>
    {
        ["optio:queued"] = "c5def5",
        ["optio:running"] = "1d76db",
        ["optio:pr-open"] = "8250df",
        ["optio:needs-attention"] = "fbca04",
        ["optio:done"] = "0e8a16",
        ["optio:failed"] = "d93f0b",
    };

    /// <summary>The state label, or null for a cancelled task (no label: the work was called off).</summary>
    public string? Label => State == Cancelled ? null : $"optio:{State}";

    public static TicketStatus Of(OptioTask task) => task.State switch
    {
        TaskState.Queued or TaskState.Provisioning => new(Queued, null),
        TaskState.Running => new(Running, null),
        TaskState.PrOpened => new(PrOpen, task.PrUrl),
        TaskState.NeedsAttention => new(NeedsAttention, task.Reason),
        TaskState.Completed => new(Done, task.PrUrl),
        TaskState.Failed => new(Failed, task.Reason),
        _ => new(Cancelled, task.Reason),
    };
}
