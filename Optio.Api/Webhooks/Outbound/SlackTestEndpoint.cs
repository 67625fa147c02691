using Optio.Api.Infrastructure;
using Wolverine.Http;

namespace Optio.Api.Webhooks.Outbound;

public sealed record SlackTest(string? WebhookUrl);

public sealed record SlackTestResult(bool Ok, int? StatusCode, string? Response, string? Error);

public static class SlackTestEndpoint
{
    /// <summary><c>POST /api/slack/test</c>: post a test message to a Slack incoming webhook and report Slack's answer.</summary>
    [WolverinePost("/api/slack/test")]
    public static async Task<IResult> Post(SlackTest body, DeliveryAttempt attempt, HttpContext http)
    {
        if (!Uri.TryCreate(body.WebhookUrl, UriKind.Absolute, out var uri) || uri.Scheme != "https" && uri.Scheme != "http")
            return Problems.BadRequest("'webhookUrl' must be a Slack incoming-webhook URL (https://hooks.slack.com/services/...).");
        var result = await attempt.SendSlackAsync(body.WebhookUrl!, SlackMessage.Test(), http.RequestAborted);
        return Results.Ok(new SlackTestResult(result.Succeeded, result.StatusCode, result.ResponseExcerpt, result.Error));
    }
}
