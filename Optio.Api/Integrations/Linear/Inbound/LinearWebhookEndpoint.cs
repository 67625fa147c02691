using System.Text;
using Wolverine;
using Wolverine.Http;
using Wolverine.Marten.Publishing;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Inbound;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>
/// <c>POST /api/webhooks/linear</c>: verifies <c>Linear-Signature</c> (hex HMAC-SHA256 of the raw body) in constant
/// time, refuses a <c>webhookTimestamp</c> more than <see cref="MaxClockSkew"/> from now (a replayed body), stores the
/// delivery once per <c>Linear-Delivery</c> and queues its handling in the same transaction, answering at once.
/// Only <c>Issue</c> deliveries are stored; other types are acknowledged and ignored.
/// </summary>
public static class LinearWebhookEndpoint
{
    public const string Path = "/api/webhooks/linear";
    public const string SignatureHeader = "Linear-Signature";
    public const int MaxBodyBytes = 5 * 1024 * 1024;
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(60);
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [ApiResponses(200, 202, 400, 401, 403, 413)]
    [WolverinePost(Path)]
    public static async Task<IResult> Post(HttpContext http, SecretStore secrets, OutboxedSessionFactory sessions, IMessageBus bus,
        TimeProvider clock, ILogger<LinearDelivery> logger)
    {
        var ct = http.RequestAborted;
        var secret = await secrets.GetAsync(SecretStore.LinearWebhookSecret, ct);
        if (string.IsNullOrEmpty(secret))
            return Problems.Result(403, "Webhook secret not configured",
                $"This Optio refuses Linear deliveries until {SecretStore.LinearWebhookSecret} is set (configuration, or PUT /api/secrets/{SecretStore.LinearWebhookSecret}) to the signing secret of the Linear webhook.");

        var body = http.Request.ContentLength > MaxBodyBytes ? null : await RequestGuard.ReadBoundedAsync(http.Request, MaxBodyBytes, ct);
        if (body is null) return Problems.Result(413, "Payload too large", $"Linear deliveries are at most {MaxBodyBytes / 1024 / 1024} MB here.");
        if (!InboundDeliveryWork.SignatureMatches(http.Request.Headers[SignatureHeader].ToString(), secret, body))
            return Problems.Result(401, "Invalid signature", "Linear-Signature is missing, malformed or does not match the body signed with the webhook's signing secret.");

        string payload;
        try
        {
            payload = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            return Problems.BadRequest($"The payload is not valid UTF-8 (Linear sends UTF-8 JSON): {e.Message}");
        }
        if (LinearPayload.TryReadEnvelope(payload, out var envelope) is { } problem) return Problems.BadRequest(problem);
        var skew = (clock.GetUtcNow() - envelope!.SentAt).Duration();
        if (skew > MaxClockSkew)
            return Problems.Result(401, "Stale delivery",
                $"webhookTimestamp {envelope.SentAt:O} is {skew.TotalSeconds:0} s from this server's clock (at most {MaxClockSkew.TotalSeconds:0} s): a replayed or delayed delivery.");

        var deliveryId = http.Request.Headers["Linear-Delivery"].ToString();
        if (deliveryId.Length is 0 or > 100) return Problems.BadRequest("The Linear-Delivery header (the delivery's id, at most 100 characters) is required.");
        if (envelope.Type != "Issue")
        {
            logger.LogInformation("Ignoring Linear {Type} delivery {Delivery}: Optio acts on Issue deliveries only", envelope.Type, deliveryId);
            return Results.Accepted(value: new { ignored = envelope.Type });
        }
        if (LinearPayload.TryReadIssue(envelope, out _) is { } issueProblem) return Problems.BadRequest(issueProblem);

        var delivery = new LinearDelivery
        {
            Id = deliveryId, Type = envelope.Type, Action = envelope.Action, Payload = payload, ReceivedAt = clock.GetUtcNow(),
        };
        if (!await InboundDeliveryWork.StoreOnceAsync(sessions, bus, delivery, new LinearIssueDelivered(deliveryId), ct))
            return Results.Ok(new { duplicate = deliveryId });
        return Results.Accepted(value: new { accepted = deliveryId });
    }
}
