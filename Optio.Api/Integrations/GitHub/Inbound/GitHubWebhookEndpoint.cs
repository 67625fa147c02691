using System.Text;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten.Publishing;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Inbound;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>
/// <c>POST /api/webhooks/github</c>: verifies <c>X-Hub-Signature-256</c> in constant time, stores the
/// delivery once per <c>X-GitHub-Delivery</c>, and queues its processing in the same transaction
/// (Wolverine's outbox), answering at once. Unsigned or wrongly signed payloads are never accepted; a signed one
/// that is not UTF-8 JSON, or lacks what its event needs (<see cref="GitHubPayload"/>), is a 400 and stored nowhere.
/// </summary>
public static class GitHubWebhookEndpoint
{
    /// <summary>GitHub caps webhook payloads at 25 MB.</summary>
    public const int MaxBodyBytes = 25 * 1024 * 1024;
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public const string Path = "/api/webhooks/github";
    public const string SignatureHeader = "X-Hub-Signature-256";

    [ApiResponses(200, 202, 400, 401, 403, 413)]
    [WolverinePost(Path)]
    public static async Task<IResult> Post(HttpContext http, SecretStore secrets, OutboxedSessionFactory sessions, IMessageBus bus,
        TimeProvider clock, ILogger<GitHubDelivery> logger)
    {
        var ct = http.RequestAborted;
        var secret = await secrets.GetAsync(SecretStore.GitHubWebhookSecret, ct);
        if (string.IsNullOrEmpty(secret))
            return Problems.Result(403, "Webhook secret not configured",
                $"This Optio refuses GitHub deliveries until {SecretStore.GitHubWebhookSecret} is set (configuration, or PUT /api/secrets/{SecretStore.GitHubWebhookSecret}) to the secret of the GitHub webhook.");

        if (http.Request.ContentLength > MaxBodyBytes) return Problems.Result(413, "Payload too large", $"GitHub deliveries are at most {MaxBodyBytes / 1024 / 1024} MB here.");
        var body = await RequestGuard.ReadBoundedAsync(http.Request, MaxBodyBytes, ct);
        if (body is null) return Problems.Result(413, "Payload too large", $"GitHub deliveries are at most {MaxBodyBytes / 1024 / 1024} MB here.");

        if (!SignatureMatches(http.Request.Headers[SignatureHeader].ToString(), secret, body))
            return Problems.Result(401, "Invalid signature", "X-Hub-Signature-256 is missing, malformed or does not match the body signed with the webhook secret.");

        var eventName = http.Request.Headers["X-GitHub-Event"].ToString();
        var deliveryId = http.Request.Headers["X-GitHub-Delivery"].ToString();
        if (eventName.Length == 0 || deliveryId.Length is 0 or > 100)
            return Problems.BadRequest("X-GitHub-Event and X-GitHub-Delivery headers are required.");
        if (eventName == "ping") return Results.Ok(new { pong = true });

        string payload;
        try
        {
            payload = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            return Problems.BadRequest($"The payload is not valid UTF-8 (GitHub sends UTF-8 JSON): {e.Message}");
        }

        if (!GitHubPayload.Handled.Contains(eventName))
        {
            logger.LogInformation("Ignoring GitHub {Event} delivery {Delivery}: Optio does not act on it", eventName, deliveryId);
            OptioMetrics.GitHubDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", "ignored"));
            return Results.Accepted(value: new { ignored = eventName });
        }
        if (!GitHubPayload.TryRead(eventName, payload, out var read, out var problem))
        {
            OptioMetrics.GitHubDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));
            return Problems.BadRequest(problem!);
        }

        var delivery = new GitHubDelivery
        {
            Id = deliveryId, Event = eventName, Action = read!.Action, Payload = payload, ReceivedAt = clock.GetUtcNow(),
        };
        // Issue events are Tickets' to decide, pull request, review and CI events PullRequests'.
        object work = read is IssueEvent ? new GitHubIssueDelivered(deliveryId) : new GitHubPullRequestDelivered(deliveryId);
        if (!await InboundDeliveryWork.StoreOnceAsync(sessions, bus, delivery, work, ct))
        {
            OptioMetrics.GitHubDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", "duplicate"));
            return Results.Ok(new { duplicate = deliveryId });
        }
        OptioMetrics.GitHubDeliveries.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));
        return Results.Accepted(value: new { accepted = deliveryId });
    }

    /// <summary>GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC.</summary>
    static bool SignatureMatches(string header, string secret, byte[] body) =>
        header.StartsWith("sha256=", StringComparison.Ordinal) && InboundDeliveryWork.SignatureMatches(header["sha256=".Length..], secret, body);
}
