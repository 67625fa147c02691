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

    /// <summary>Which task events subscribers are told about, as which webhook event.</summary>
    static readonly Dictionary<Type, string> Announcements = new()
    {
        [typeof(TaskCreated)] = "task.created",
        [typeof(TicketImported)] = "task.created",
        [typeof(TaskQueued)] = "task.queued",
        [typeof(TaskRequeued)] = "task.queued",
        [typeof(TaskStarted)] = "task.running",
        [typeof(PrOpened)] = "task.pr_opened",
        [typeof(PrAttentionCleared)] = "task.pr_opened", // back to waiting for the merge
        [typeof(PrMerged)] = "task.completed",
        [typeof(TaskFailed)] = "task.failed",
        [typeof(PrClosedUnmerged)] = "task.failed",
        [typeof(TaskCancelled)] = "task.cancelled",
        [typeof(PrNeedsAttention)] = "task.needs_attention",
    };

    /// <summary>The task event types that announce something.</summary>
    public static IEnumerable<Type> AnnouncedEventTypes => Announcements.Keys;

    /// <summary>The webhook event a task event announces, or null for events subscribers are not told about.</summary>
    public static string? For(object taskEvent) => Announcements.GetValueOrDefault(taskEvent.GetType());

    public static bool IsKnown(string type) => type == All || Types.Contains(type);

    public static bool Matches(IReadOnlyCollection<string> subscribed, string type) =>
        subscribed.Contains(All) || subscribed.Contains(type);
}
