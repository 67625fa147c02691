using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Repos;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Notifications.Slack;

public sealed record SlackTest(string? WebhookUrl);

public sealed record SlackTestResult(bool Ok, int? StatusCode, string? Response, string? Error);

public static class SlackTestEndpoint
{
    /// <summary><c>POST /api/slack/test</c>: post a test message to a Slack incoming webhook and report Slack's answer.</summary>
    [ApiResponses(200, 400)]
    [WolverinePost("/api/slack/test")]
    public static async Task<IResult> Post(SlackTest body, DeliveryAttempt attempt, SsrfGuard guard, HttpContext http)
    {
        if (SlackWebhookUrl.Problem("webhookUrl", body.WebhookUrl, guard) is { } problem) return Problems.BadRequest(problem);
        var result = await attempt.SendSlackAsync(body.WebhookUrl!, SlackMessage.Test(), http.RequestAborted);
        return Results.Ok(new SlackTestResult(result.Succeeded, result.StatusCode, result.ResponseExcerpt, result.Error));
    }
}
