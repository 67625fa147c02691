using System.Text.Json;
using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Slack;

/// <summary>Task events as Slack Block Kit messages, for repos with Slack notifications on.</summary>
public static class SlackMessage
{
    static readonly Dictionary<string, string> Headlines = new()
    {
        ["task.pr_opened"] = ":eyes: Pull request opened",
        ["task.completed"] = ":white_check_mark: Task completed: PR merged",
        ["task.failed"] = ":x: Task failed",
        ["task.needs_attention"] = ":warning: Task needs attention",
    };

    public static bool Announces(string eventType) => Headlines.ContainsKey(eventType);

    public static string For(string eventType, OptioTask task)
    {
        var facts = new List<string> { $"*Task:* {task.Title}", $"*State:* {task.State.WireName()}" };
        if (task.PrUrl is { } pr) facts.Add($"*Pull request:* <{pr}>");
        if (task.Ticket is { } t) facts.Add($"*Ticket:* {(t.Url is null ? t.Identifier : $"<{t.Url}|{t.Identifier}>")}");
        if (task.Reason is { } reason && task.State is TaskState.Failed or TaskState.NeedsAttention) facts.Add($"*Why:* {reason}");
        return Build($"{Headlines[eventType]} — {task.Title}", Headlines[eventType], string.Join("\n", facts), $"Optio task {task.Id}");
    }

    public static string Test() =>
        Build("Optio test message", ":wave: Optio can post here", "Notifications for this repository will arrive in this channel.", "Sent by POST /api/slack/test");

    static string Build(string fallback, string headline, string body, string context) => JsonSerializer.Serialize(new
    {
        text = fallback,
        blocks = new object[]
        {
            new { type = "header", text = new { type = "plain_text", text = headline, emoji = true } },
            new { type = "section", text = new { type = "mrkdwn", text = body } },
            new { type = "context", elements = new object[] { new { type = "mrkdwn", text = context } } },
        },
    });
}
