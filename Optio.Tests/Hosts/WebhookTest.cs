using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Hosts;

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
