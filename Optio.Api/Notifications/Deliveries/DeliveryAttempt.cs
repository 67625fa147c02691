using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Notifications.Subscriptions;
using Optio.Projections.Deliveries;
using Optio.Domain.Webhooks;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>
/// Sends one delivery: signed for webhook subscribers, plain for Slack. Redirects are not
/// followed (a 3xx is a failure), 15 s per attempt, the answer read up to 64 KB and kept truncated.
/// </summary>
public sealed class DeliveryAttempt(IHttpClientFactory httpFactory, SecretCipher cipher, TimeProvider clock, IOptions<WebhooksOptions> options)
{
    readonly TimeSpan timeout = options.Value.Timeout;
    public const string HttpClientName = "webhooks";
    public const int MaxResponseBytes = 64 * 1024;
    public const int MaxExcerptChars = 4096;
    public const string UnreadableSecret = "the subscription's secret could not be read (sealed under another Optio:SecretsKey, or damaged): "
        + "restore that key, or give the subscription a new secret (PATCH it with rotateSecret)";

    public async Task<AttemptResult> SendWebhookAsync(DeliveryHistory delivery, WebhookSubscription subscription, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        if (SigningSecrets(subscription, now) is not { } secrets) return AttemptResult.NotSent(UnreadableSecret);
        var secret = secrets[0];

        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        var id = delivery.Id.ToString();
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString());
        request.Headers.Add("webhook-signature", WebhookSigner.StandardSignature(secrets, id, timestamp, delivery.Body));
        request.Headers.Add("X-Optio-Signature-256", WebhookSigner.GitHubStyleSignature(secret, delivery.Body));
        request.Headers.Add("X-Optio-Event", delivery.EventType);
        request.Headers.Add("X-Optio-Delivery", id);
        return await SendAsync(request, ct);
    }

    /// <summary>The secrets to sign with, the current one first; null when the current one cannot be read.</summary>
    List<string>? SigningSecrets(WebhookSubscription subscription, DateTimeOffset now)
    {
        if (cipher.TryDecrypt(subscription.SecretName, subscription.SealedSecret) is not { } current) return null;
        var secrets = new List<string> { current };
        // The previous secret only eases a rotation: one that cannot be read (say, sealed under a replaced key) is left out.
        if (subscription.SealedPreviousSecret is { } previous && subscription.PreviousSecretUntil > now
            && cipher.TryDecrypt(subscription.PreviousSecretName, previous) is { } old)
            secrets.Add(old);
        return secrets;
    }

    public async Task<AttemptResult> SendSlackAsync(string webhookUrl, string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhookUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return await SendAsync(request, ct);
    }

    async Task<AttemptResult> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.UserAgent.ParseAdd("Optio-Webhooks/1.0");
        var clockStart = Stopwatch.GetTimestamp();
        // One deadline for the whole attempt: an endpoint that sends its headers and then trickles the body is cut off too.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var excerpt = await ReadCappedAsync(response.Content, deadline.Token);
            var status = (int)response.StatusCode;
            var error = status is >= 300 and < 400 ? $"redirect ({status}) not followed: the endpoint must answer 2xx itself" : null;
            return new AttemptResult(status, error, Elapsed(clockStart), excerpt, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new AttemptResult(null, $"timed out after {timeout.TotalSeconds:0.###} s", Elapsed(clockStart), null, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SsrfRefusedException && !ct.IsCancellationRequested)
        {
            var message = e switch
            {
                HttpRequestException { InnerException: SsrfRefusedException refused } => refused.Message,
                _ => e.InnerException?.Message ?? e.Message,
            };
            return new AttemptResult(null, message, Elapsed(clockStart), null, null);
        }
    }

    static async Task<string> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0) read += n;
        var text = Encoding.UTF8.GetString(buffer, 0, read);
        return text.Length > MaxExcerptChars ? text[..MaxExcerptChars] + "…" : text;
    }

    TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)) return null;
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date) return date - clock.GetUtcNow();
        return null;
    }

    static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
