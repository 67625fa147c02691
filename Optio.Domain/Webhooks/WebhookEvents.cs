using Optio.Domain.Tasks;

namespace Optio.Domain.Webhooks;

/// <summary>The webhook event catalogue, and the one place task events map to it.</summary>
public static class WebhookEvents
{
    public const string All = "*";
    public const string Ping = "ping";

    public static readonly IReadOnlyList<string> Types =
    [
        "task.created", "task.queued", "task.running", "task.pr_opened",
        "task.completed", "task.failed", "task.cancelled", "task.needs_attention",
    ];

    /// <summary>The webhook event a task event announces, or null for events subscribers are not told about.</summary>
    public static string? For(object taskEvent) => taskEvent switch
    {
        TaskCreated or TicketImported => "task.created",
        TaskQueued or TaskRequeued => "task.queued",
        TaskStarted => "task.running",
        PrOpened => "task.pr_opened",
        PrMerged => "task.completed",
        TaskFailed or PrClosedUnmerged => "task.failed",
        TaskCancelled => "task.cancelled",
        PrNeedsAttention => "task.needs_attention",
        _ => null,
    };

    public static bool IsKnown(string type) => type == All || Types.Contains(type);

    public static bool Matches(IReadOnlyCollection<string> subscribed, string type) =>
        subscribed.Contains(All) || subscribed.Contains(type);
}
