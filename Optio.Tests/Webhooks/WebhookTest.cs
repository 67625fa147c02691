using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Webhooks;

/// <summary>
/// Base of the webhook scenarios: verbs over <c>/api/webhooks</c>, and clean-up. Every test makes its own
/// subscriptions on its own receiver path and deletes them afterwards, so the collection's tests don't
/// receive each other's events.
/// </summary>
public abstract class WebhookTest(WebhooksHost api) : IAsyncLifetime
{
    readonly List<Guid> created = [];

    protected WebhooksHost Api => api;
    protected IAlbaHost Host => api.Host;
    protected WebhookReceiver Receiver => api.Receiver;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var id in created)
            await Host.Scenario(s => { s.Delete.Url($"/api/webhooks/{id}"); s.IgnoreStatusCode(); });
    }

    protected async Task<WebhookSubscriptionView> SubscribeAsync(string url, string[]? events = null, string? secret = null)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { url, events = events ?? ["*"], secret }).ToUrl("/api/webhooks");
            s.StatusCodeShouldBe(201);
        });
        var view = (await result.ReadAsJsonAsync<WebhookSubscriptionView>())!;
        created.Add(view.Id);
        return view;
    }

    protected async Task<WebhookSubscriptionView> GetSubscriptionAsync(Guid id) =>
        (await Host.GetAsJson<WebhookSubscriptionView>($"/api/webhooks/{id}"))!;

    protected async Task<WebhookSubscriptionView> PatchAsync(Guid id, object body)
    {
        var result = await Host.Scenario(s => { s.Patch.Json(body).ToUrl($"/api/webhooks/{id}"); s.StatusCodeShouldBeOk(); });
        return (await result.ReadAsJsonAsync<WebhookSubscriptionView>())!;
    }

    protected async Task<DeliveryPage> DeliveriesAsync(Guid subscriptionId, string query = "") =>
        (await Host.GetAsJson<DeliveryPage>($"/api/webhooks/{subscriptionId}/deliveries{query}"))!;

    protected async Task<DeliveryView> DeliveryAsync(Guid deliveryId) =>
        (await Host.GetAsJson<DeliveryView>($"/api/webhooks/deliveries/{deliveryId}"))!;

    /// <summary>Waits for the subscription's delivery of one task event to reach a state.</summary>
    protected Task<DeliveryView> DeliveryOfAsync(Guid subscriptionId, Guid taskId, string @event, Func<DeliveryView, bool> done, string? what = null) =>
        Eventually.Until(async () =>
                (await DeliveriesAsync(subscriptionId, $"?event={@event}&pageSize=200")).Items.FirstOrDefault(d => d.TaskId == taskId),
            d => d is not null && done(d), what: what ?? $"the {@event} delivery of task {taskId}")!;

    /// <summary>One sender pass now (the background sender also runs; a PostgreSQL lock keeps them from sending twice).</summary>
    protected Task<int> SendDueAsync() => Host.Services.GetRequiredService<DeliverySender>().SendDueAsync(default);

    protected void Advance(TimeSpan by) => api.Clock.Advance(by);

    protected static JsonElement Json(string body) => JsonDocument.Parse(body).RootElement.Clone();

    protected static JsonElement Json(ReceivedRequest request) => Json(request.Body);

    /// <summary>The requests to <paramref name="url"/> about one task, in arrival order.</summary>
    protected IReadOnlyList<ReceivedRequest> ReceivedFor(string url, Guid taskId) =>
        Receiver.RequestsTo(url).Where(r => Json(r).GetProperty("data").GetProperty("taskId").GetGuid() == taskId).ToList();
}

/// <summary>
/// A subscriber's verification, written from the specifications, not from Optio's signer:
/// Standard Webhooks (<c>v1,</c> base64 HMAC-SHA256 of <c>id.timestamp.body</c>, key = base64 after <c>whsec_</c>)
/// and GitHub style (<c>sha256=</c> hex HMAC-SHA256 of the body, key = the secret's UTF-8 bytes).
/// </summary>
public static class SubscriberVerification
{
    public static bool StandardWebhooks(string secret, ReceivedRequest request)
    {
        var key = secret.StartsWith("whsec_", StringComparison.Ordinal)
            ? Convert.FromBase64String(secret.Substring(6))
            : Encoding.UTF8.GetBytes(secret);
        var signedContent = $"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{request.Body}";
        using var hmac = new HMACSHA256(key);
        var expected = Encoding.ASCII.GetBytes("v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(signedContent))));
        return request.Header("webhook-signature").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Any(candidate => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(candidate), expected));
    }

    public static bool GitHubStyle(string secret, ReceivedRequest request)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var hex = string.Concat(hmac.ComputeHash(Encoding.UTF8.GetBytes(request.Body)).Select(b => b.ToString("x2")));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes("sha256=" + hex),
            Encoding.ASCII.GetBytes(request.Header("X-Optio-Signature-256")));
    }
}

/// <summary>The test's own verifier is right: it accepts the Standard Webhooks specification's example.</summary>
public class SubscriberVerificationTests
{
    [Fact]
    public void The_standard_webhooks_example_verifies()
    {
        var request = new ReceivedRequest("POST", "/", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-id"] = "msg_p5jXN8AQM9LWM0D4loKWxJek",
            ["webhook-timestamp"] = "1614265330",
            ["webhook-signature"] = "v1,bogus v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        }, """{"test": 2432232314}""", DateTimeOffset.UtcNow);

        Assert.True(SubscriberVerification.StandardWebhooks("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", request));
        Assert.False(SubscriberVerification.StandardWebhooks("whsec_" + Convert.ToBase64String(new byte[24]), request));
    }
}
