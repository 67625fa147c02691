using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;

namespace Optio.Tests.Webhooks;

/// <summary>The delivery history, and asking for deliveries again: redeliver, recover, test ping.</summary>
[Collection(WebhooksCollection.Name)]
public class HistoryTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task The_history_is_paged_newest_first_and_filtered_by_status_and_event()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created", "task.queued"]);
        var a = await Host.CreateTaskAsync("History A");
        await DeliveryOfAsync(subscription.Id, a.Id, "task.queued", d => d.Status == "delivered");
        Receiver.AnswerAlways(url, Reply.Fail(500, "down for maintenance"));
        var b = await Host.CreateTaskAsync("History B");
        var failing = await DeliveryOfAsync(subscription.Id, b.Id, "task.created", d => d.AttemptCount == 1);

        var all = await DeliveriesAsync(subscription.Id);
        Assert.Equal(4, all.Total);
        Assert.Equal([(b.Id, "task.queued"), (b.Id, "task.created"), (a.Id, "task.queued"), (a.Id, "task.created")],
            all.Items.Select(d => (d.TaskId, d.Event)));
        Assert.Equal(["pending", "pending", "delivered", "delivered"], all.Items.Select(d => d.Status));

        var page1 = await DeliveriesAsync(subscription.Id, "?pageSize=3");
        var page2 = await DeliveriesAsync(subscription.Id, "?pageSize=3&page=2");
        Assert.Equal((3, 1, 4L, 4L), (page1.Items.Count, page2.Items.Count, page1.Total, page2.Total));
        Assert.Equal(all.Items.Select(d => d.Id), page1.Items.Concat(page2.Items).Select(d => d.Id));

        Assert.Equal([a.Id, a.Id], (await DeliveriesAsync(subscription.Id, "?status=delivered")).Items.Select(d => d.TaskId));
        Assert.Equal([b.Id, b.Id], (await DeliveriesAsync(subscription.Id, "?status=pending")).Items.Select(d => d.TaskId));
        Assert.Empty((await DeliveriesAsync(subscription.Id, "?status=failed")).Items);
        Assert.Equal([b.Id, a.Id], (await DeliveriesAsync(subscription.Id, "?event=task.created")).Items.Select(d => d.TaskId));
        Assert.Equal([failing.Id], (await DeliveriesAsync(subscription.Id, "?event=task.created&status=pending")).Items.Select(d => d.Id));
    }

    [Fact]
    public async Task One_delivery_shows_its_event_payload_and_every_attempt()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Fail(503, "busy"));
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var task = await Host.CreateTaskAsync("Every attempt");
        var first = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 1);
        Advance(first.NextAttemptAt!.Value - Api.Clock.GetUtcNow());
        await SendDueAsync();

        var delivery = await Eventually.Until(() => DeliveryAsync(first.Id), d => d.Status == "delivered");
        Assert.Equal((subscription.Id, "webhook", "task.created", task.Id, 2), (delivery.SubscriptionId, delivery.Channel, delivery.Event, delivery.TaskId, delivery.AttemptCount));
        Assert.Equal(Assert.Single(Receiver.RequestsTo(url).Take(1)).Body, delivery.Payload.GetRawText());
        Assert.Equal(first.Id.ToString(), delivery.Payload.GetProperty("id").GetString());
        Assert.Equal((1, 503, false, "busy"), (delivery.Attempts[0].Attempt, delivery.Attempts[0].StatusCode, delivery.Attempts[0].Succeeded, delivery.Attempts[0].ResponseExcerpt));
        Assert.NotNull(delivery.Attempts[0].NextAttemptAt);
        Assert.Equal((2, 200, true, "ok", null), (delivery.Attempts[1].Attempt, delivery.Attempts[1].StatusCode, delivery.Attempts[1].Succeeded,
            delivery.Attempts[1].ResponseExcerpt, delivery.Attempts[1].NextAttemptAt));
        Assert.All(delivery.Attempts, a => Assert.True(a.DurationMs > 0));
        Assert.Equal((null, delivery.Attempts[1].At), (delivery.NextAttemptAt, delivery.FinishedAt));

        // The raw JSON names what the issue asks for.
        var json = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/webhooks/deliveries/{first.Id}"))).ReadAsTextAsync()).RootElement;
        var attempt = json.GetProperty("attempts")[0];
        foreach (var name in new[] { "at", "statusCode", "durationMs", "responseExcerpt", "nextAttemptAt", "succeeded" })
            Assert.True(attempt.TryGetProperty(name, out _), name);
        foreach (var name in new[] { "event", "payload", "status", "finishedAt" })
            Assert.True(json.TryGetProperty(name, out _), name);
    }

    [Theory]
    [InlineData("?status=lost", "status")]
    [InlineData("?event=task.vanished", "event")]
    [InlineData("?pageSize=0", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?pageSize=1000", "pageSize")]
    public async Task Bad_history_queries_are_400(string query, string mentions)
    {
        var subscription = await SubscribeAsync(Receiver.NewUrl());
        var result = await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{subscription.Id}/deliveries{query}"); s.StatusCodeShouldBe(400); });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task Unknown_subscriptions_and_deliveries_are_404()
    {
        await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{Guid.NewGuid()}/deliveries"); s.StatusCodeShouldBe(404); });
        await Host.Scenario(s => { s.Get.Url($"/api/webhooks/deliveries/{Guid.NewGuid()}"); s.StatusCodeShouldBe(404); });
        await Host.PostAsync($"/api/webhooks/deliveries/{Guid.NewGuid()}/redeliver", null, 404);
        await Host.PostAsync($"/api/webhooks/{Guid.NewGuid()}/recover", new { }, 404);
        await Host.PostAsync($"/api/webhooks/{Guid.NewGuid()}/test", null, 404);
    }

    [Fact]
    public async Task Redeliver_sends_the_same_delivery_again_once()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var task = await Host.CreateTaskAsync("Again please");
        var delivered = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.Status == "delivered");
        Advance(TimeSpan.FromSeconds(30));

        var accepted = JsonDocument.Parse(await Host.PostAsync($"/api/webhooks/deliveries/{delivered.Id}/redeliver", null, 202)).RootElement;
        Assert.Equal("pending", accepted.GetProperty("status").GetString());
        var requests = await Receiver.WaitForAsync(url, 2);
        Assert.Equal(requests[0].Header("webhook-id"), requests[1].Header("webhook-id"));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(long.Parse(requests[0].Header("webhook-timestamp")) + 30, long.Parse(requests[1].Header("webhook-timestamp")));
        Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, requests[1]));

        var again = await Eventually.Until(() => DeliveryAsync(delivered.Id), d => d.AttemptCount == 2 && d.Status == "delivered");
        Assert.Equal([1, 2], again.Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task A_redelivery_that_fails_is_not_retried_and_a_pending_delivery_cannot_be_redelivered()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Fail(500));
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var task = await Host.CreateTaskAsync("Pending one");
        var pending = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 1);

        var conflict = await Host.PostAsync($"/api/webhooks/deliveries/{pending.Id}/redeliver", null, 409);
        Assert.Contains("already", conflict);

        Advance(pending.NextAttemptAt!.Value - Api.Clock.GetUtcNow());
        await SendDueAsync();
        await Eventually.Until(() => DeliveryAsync(pending.Id), d => d.Status == "delivered");
        Receiver.Enqueue(url, Reply.Fail(500, "broken again"));
        await Host.PostAsync($"/api/webhooks/deliveries/{pending.Id}/redeliver", null, 202);

        var failed = await Eventually.Until(() => DeliveryAsync(pending.Id), d => d.AttemptCount == 3);
        Assert.Equal(("failed", null, 500), (failed.Status, failed.NextAttemptAt, failed.Attempts[2].StatusCode));
        Assert.Contains("single attempt", failed.AbandonedReason);
        Advance(TimeSpan.FromHours(1));
        await SendDueAsync();
        Assert.Equal(3, (await DeliveryAsync(pending.Id)).AttemptCount);
    }

    [Fact]
    public async Task Recover_resends_what_failed_since_a_moment_once_the_subscription_is_enabled_again()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Gone);
        var before = Api.Clock.GetUtcNow();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var task = await Host.CreateTaskAsync("Recover me");
        var failed = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.Status == "failed");

        var disabled = await Host.PostAsync($"/api/webhooks/{subscription.Id}/recover", new { since = before }, 409);
        Assert.Contains("Enable", disabled);

        await PatchAsync(subscription.Id, new { enabled = true });
        var none = JsonDocument.Parse(await Host.PostAsync($"/api/webhooks/{subscription.Id}/recover", new { since = Api.Clock.GetUtcNow().AddMinutes(5) }, 202));
        Assert.Equal(0, none.RootElement.GetProperty("redelivered").GetInt32());

        var recovered = JsonDocument.Parse(await Host.PostAsync($"/api/webhooks/{subscription.Id}/recover", new { since = before.AddMinutes(-5) }, 202));
        Assert.Equal(1, recovered.RootElement.GetProperty("redelivered").GetInt32());
        var requests = await Receiver.WaitForAsync(url, 2);
        Assert.Equal([410, 200], requests.Select(r => r.Status));
        Assert.Equal(failed.Id.ToString(), requests[1].Header("webhook-id"));
        await Eventually.Until(() => DeliveryAsync(failed.Id), d => d.Status == "delivered");
    }

    [Fact]
    public async Task A_test_ping_is_signed_sent_once_and_reports_the_answer()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.completed"]);

        var ok = (await (await Host.Scenario(s => { s.Post.Url($"/api/webhooks/{subscription.Id}/test"); s.ConfigureHttpContext(c => c.Request.ContentLength = 0); }))
            .ReadAsJsonAsync<DeliveryView>())!;
        Assert.Equal(("ping", "delivered", 200), (ok.Event, ok.Status, ok.Attempts.Single().StatusCode));
        var ping = Assert.Single(Receiver.RequestsTo(url));
        Assert.Equal(("ping", ok.Id.ToString()), (ping.Header("X-Optio-Event"), ping.Header("webhook-id")));
        Assert.Equal("ping", Json(ping).GetProperty("event").GetString());
        Assert.Equal(subscription.Id, Json(ping).GetProperty("data").GetProperty("subscriptionId").GetGuid());
        Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, ping));
        Assert.True(SubscriberVerification.GitHubStyle(subscription.Secret!, ping));

        Receiver.Enqueue(url, Reply.Fail(500, "not today"));
        var failed = (await (await Host.Scenario(s => { s.Post.Url($"/api/webhooks/{subscription.Id}/test"); s.ConfigureHttpContext(c => c.Request.ContentLength = 0); }))
            .ReadAsJsonAsync<DeliveryView>())!;
        Assert.Equal(("failed", 500, "not today", null), (failed.Status, failed.Attempts.Single().StatusCode, failed.Attempts.Single().ResponseExcerpt, failed.NextAttemptAt));

        Assert.Equal(2, Receiver.RequestsTo(url).Count);
        Assert.Equal(2, (await DeliveriesAsync(subscription.Id, "?event=ping")).Total);
    }

    [Fact]
    public async Task A_ping_is_never_also_sent_by_the_background_sender()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.completed"]);
        using var stop = new CancellationTokenSource();
        var passes = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await SendDueAsync();
        });

        for (var i = 0; i < 10; i++) await Host.PostAsync($"/api/webhooks/{subscription.Id}/test", null);
        await stop.CancelAsync();
        await passes;

        var pings = Receiver.RequestsTo(url);
        Assert.Equal(10, pings.Count);
        Assert.Equal(10, pings.Select(p => p.Header("webhook-id")).Distinct().Count());
    }
}
