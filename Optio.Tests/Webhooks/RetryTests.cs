using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Webhooks;

/// <summary>Retries on the fake clock, Retry-After, redirects, 410, and the five-day disable.</summary>
[Collection(WebhooksCollection.Name)]
public class RetryTests(WebhooksHost api) : WebhookTest(api)
{
    static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task A_failing_delivery_is_retried_on_the_growing_schedule_with_jitter_then_given_up()
    {
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(500, "still broken"));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);
        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);

        TimeSpan[] schedule = [TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10)];
        var ratios = new List<double>();
        for (var i = 0; i < schedule.Length; i++)
        {
            var last = delivery.Attempts[^1];
            Assert.Equal((i + 1, 500, false), (last.Attempt, last.StatusCode, last.Succeeded));
            var wait = last.NextAttemptAt!.Value - last.At;
            ratios.Add(wait / schedule[i]);
            Assert.InRange(wait / schedule[i], 0.8, 1.2);
            Assert.Equal(("pending", last.NextAttemptAt), (delivery.Status, delivery.NextAttemptAt));

            // Not a moment early ...
            Advance(last.NextAttemptAt.Value - Api.Clock.GetUtcNow() - OneMs);
            await SendDueAsync();
            Assert.Equal(i + 1, (await DeliveryAsync(delivery.Id)).AttemptCount);
            // ... and as soon as it is due.
            Advance(OneMs);
            await SendDueAsync();
            delivery = await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.AttemptCount == i + 2, what: $"attempt {i + 2}");
        }

        Assert.True(ratios.Distinct().Count() > 1, "the delays are jittered");
        Assert.Equal(("failed", null, "retries spent"), (delivery.Status, delivery.NextAttemptAt, delivery.AbandonedReason));
        Assert.Equal(8, delivery.AttemptCount);
        Assert.Equal(delivery.Attempts[^1].At, delivery.FinishedAt);
        Assert.All(delivery.Attempts, a => Assert.Equal("still broken", a.ResponseExcerpt));

        Advance(TimeSpan.FromDays(1));
        await SendDueAsync();
        Assert.Equal(8, (await DeliveryAsync(delivery.Id)).AttemptCount);
        var received = ReceivedFor(url, taskId);
        Assert.Equal(8, received.Count);
        Assert.Single(received.Select(r => r.Header("webhook-id")).Distinct());
        Assert.Equal(received.Count, received.Select(r => r.Header("webhook-timestamp")).Distinct().Count());
        Assert.All(received, r => Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, r)));
        Assert.Single(received.Select(r => r.Body).Distinct());
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Retry_After_seconds_on_429_and_503_is_honoured(int status)
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.RetryAfter(status, "3600"));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);
        var first = delivery.Attempts[0];
        Assert.Equal((status, TimeSpan.FromHours(1)), (first.StatusCode, first.NextAttemptAt!.Value - first.At));

        Advance(TimeSpan.FromMinutes(59));
        await SendDueAsync();
        Assert.Equal(1, (await DeliveryAsync(delivery.Id)).AttemptCount);
        Advance(first.NextAttemptAt.Value - Api.Clock.GetUtcNow());
        await SendDueAsync();
        delivery = await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.Status == "delivered");
        Assert.Equal([status, 200], delivery.Attempts.Select(a => a.StatusCode));
    }

    [Fact]
    public async Task Retry_After_as_an_http_date_is_honoured()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.RetryAfter(503, (Api.Clock.GetUtcNow() + TimeSpan.FromHours(2)).ToString("R")));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var first = (await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1)).Attempts[0];
        Assert.InRange(first.NextAttemptAt!.Value - first.At, TimeSpan.FromHours(2) - TimeSpan.FromSeconds(2), TimeSpan.FromHours(2));
    }

    [Theory]
    [InlineData(500, "3600")]
    [InlineData(429, "1")]
    public async Task Retry_After_does_not_apply_to_other_statuses_nor_shorten_the_schedule(int status, string retryAfter)
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.RetryAfter(status, retryAfter));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var first = (await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1)).Attempts[0];
        Assert.InRange(first.NextAttemptAt!.Value - first.At, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_redirect_is_a_failure_and_is_not_followed(int status)
    {
        var (url, elsewhere) = (Receiver.NewUrl(), Receiver.NewUrl());
        Receiver.Enqueue(url, Reply.Redirect(status, elsewhere));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);
        var attempt = delivery.Attempts[0];
        Assert.Equal((status, false, "pending"), (attempt.StatusCode, attempt.Succeeded, delivery.Status));
        Assert.Contains("redirect", attempt.Error);
        Assert.NotNull(attempt.NextAttemptAt);
        Assert.Empty(Receiver.RequestsTo(elsewhere));
    }

    [Fact]
    public async Task Any_2xx_is_a_success()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Fail(204, ""));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);
        Assert.Equal(("delivered", 204, true, null), (delivery.Status, delivery.Attempts[0].StatusCode, delivery.Attempts[0].Succeeded, delivery.NextAttemptAt));
    }

    [Fact]
    public async Task Gone_disables_the_subscription_at_once()
    {
        var (url, witness) = (Receiver.NewUrl(), Receiver.NewUrl());
        Receiver.AnswerAlways(url, Reply.Gone);
        var subscription = await SubscribeAsync(url, ["task.created", "task.cancelled"]);
        await SubscribeAsync(witness, ["task.cancelled"]);
        var task = await Host.CreateTaskAsync("Gone for good");

        var delivery = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 1);
        Assert.Equal(("failed", 410, null), (delivery.Status, delivery.Attempts[0].StatusCode, delivery.NextAttemptAt));
        var disabled = await GetSubscriptionAsync(subscription.Id);
        Assert.False(disabled.Enabled);
        Assert.Contains("410", disabled.DisabledReason);
        Assert.NotNull(disabled.DisabledAt);

        // Later events are not even scheduled for it (the witness shows they happened).
        await Host.CancelAsync(task.Id, "after gone");
        await Receiver.WaitForAsync(witness, 1);
        Assert.Single(Receiver.RequestsTo(url));
        Assert.DoesNotContain((await DeliveriesAsync(subscription.Id)).Items, d => d.Event == "task.cancelled");
    }

    [Fact]
    public async Task After_a_410_no_new_attempt_to_that_subscription_starts()
    {
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(500));
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var burst = 3 * WebhooksHost.SenderParallelism;
        for (var i = 0; i < burst; i++) await Host.CreateTaskAsync($"Burst {i}");
        await Eventually.Until(() => DeliveriesAsync(subscription.Id, "?pageSize=200"),
            p => p.Items.Count == burst && p.Items.All(d => d.AttemptCount == 1), what: "every delivery of the burst failed once");

        // All of them fall due at once, in one pass; the endpoint now says it is gone.
        var before = Receiver.RequestsTo(url).Count;
        Receiver.AnswerAlways(url, Reply.Gone);
        Advance(TimeSpan.FromSeconds(10));

        var finished = await Eventually.Until(() => DeliveriesAsync(subscription.Id, "?pageSize=200"),
            p => p.Items.All(d => d.Status == "failed"), what: "every delivery of the burst finished");
        Assert.False((await GetSubscriptionAsync(subscription.Id)).Enabled);
        var gone = Receiver.RequestsTo(url).Count - before;
        // Only attempts already in flight when the first 410 came back reached the endpoint; the rest never started.
        Assert.InRange(gone, 1, WebhooksHost.SenderParallelism);
        var notTried = finished.Items.Where(d => d.AttemptCount == 1).ToList();
        Assert.Equal(burst - gone, notTried.Count);
        Assert.All(notTried, d => Assert.Contains("410", d.AbandonedReason));

        Advance(TimeSpan.FromDays(1));
        await SendDueAsync();
        Assert.Equal(before + gone, Receiver.RequestsTo(url).Count);
    }

    [Fact]
    public async Task Failing_for_five_days_straight_disables_the_subscription_with_the_reason()
    {
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(500));
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var start = Api.Clock.GetUtcNow();
        var task = await Host.CreateTaskAsync("Five days");
        var delivery = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 1);
        var failing = await GetSubscriptionAsync(subscription.Id);
        Assert.True(failing.Enabled);
        Assert.Equal(start, failing.FailingSince);

        Advance(TimeSpan.FromDays(4));
        await SendDueAsync();
        await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.AttemptCount == 2, what: "the retry after 4 days");
        var stillFailing = await GetSubscriptionAsync(subscription.Id);
        Assert.Equal((true, start), (stillFailing.Enabled, stillFailing.FailingSince));

        Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await SendDueAsync();
        var disabled = await Eventually.Until(() => GetSubscriptionAsync(subscription.Id), s => !s.Enabled, what: "the subscription disabled");
        Assert.Contains("5 days", disabled.DisabledReason);
        Assert.Equal(Api.Clock.GetUtcNow(), disabled.DisabledAt);
        Assert.Equal(3, (await DeliveryAsync(delivery.Id)).AttemptCount);

        // What was still waiting is abandoned, not sent to an endpoint that is off.
        Advance(TimeSpan.FromHours(11));
        await SendDueAsync();
        var abandoned = await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.Status == "failed", what: "the delivery abandoned");
        Assert.Contains("disabled", abandoned.AbandonedReason);
        Assert.Equal(3, abandoned.AttemptCount);
        Assert.Equal(3, Receiver.RequestsTo(url).Count);
    }

    [Fact]
    public async Task A_success_in_between_restarts_the_five_days()
    {
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(500));
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var first = await Host.CreateTaskAsync("Streak, first");
        var delivery = await DeliveryOfAsync(subscription.Id, first.Id, "task.created", d => d.AttemptCount == 1);

        Receiver.Enqueue(url, Reply.Ok);
        Advance(TimeSpan.FromDays(3));
        await SendDueAsync();
        await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.Status == "delivered", what: "the retry that succeeds");
        // The subscription's health is written right after the attempt is recorded.
        await Eventually.Until(() => GetSubscriptionAsync(subscription.Id), s => s.FailingSince is null, what: "the failing streak ended");

        Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));
        var second = await Host.CreateTaskAsync("Streak, second");
        await DeliveryOfAsync(subscription.Id, second.Id, "task.created", d => d.AttemptCount == 1);
        var after = await GetSubscriptionAsync(subscription.Id);
        Assert.True(after.Enabled);
        Assert.Equal(Api.Clock.GetUtcNow(), after.FailingSince);
    }

    [Fact]
    public async Task Deleting_a_subscription_abandons_what_it_still_had_to_send()
    {
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(500));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);
        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);

        await Host.Scenario(s => { s.Delete.Url($"/api/webhooks/{subscription.Id}"); s.StatusCodeShouldBe(204); });
        Advance(delivery.NextAttemptAt!.Value - Api.Clock.GetUtcNow());
        await SendDueAsync();

        var abandoned = await Eventually.Until(() => DeliveryAsync(delivery.Id), d => d.Status == "failed", what: "the delivery abandoned");
        Assert.Equal((1, "the subscription was deleted", Api.Clock.GetUtcNow()), (abandoned.AttemptCount, abandoned.AbandonedReason, abandoned.FinishedAt));
        Assert.Single(Receiver.RequestsTo(url));
    }

    [Fact]
    public async Task An_attempt_that_takes_too_long_fails_with_a_timeout()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Slow(WebhooksHost.AttemptTimeout + TimeSpan.FromSeconds(2)));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var attempt = (await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1)).Attempts[0];
        Assert.Equal((null, false), (attempt.StatusCode, attempt.Succeeded));
        Assert.Contains("timed out", attempt.Error);
        Assert.InRange(attempt.DurationMs, WebhooksHost.AttemptTimeout.TotalMilliseconds - 50, WebhooksHost.AttemptTimeout.TotalMilliseconds + 1500);
    }

    [Fact]
    public async Task An_answer_whose_body_never_comes_fails_with_a_timeout_too()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.SlowBody(TimeSpan.FromSeconds(30)));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var attempt = (await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1)).Attempts[0];
        Assert.False(attempt.Succeeded);
        Assert.Contains("timed out", attempt.Error);
        Assert.InRange(attempt.DurationMs, WebhooksHost.AttemptTimeout.TotalMilliseconds - 50, WebhooksHost.AttemptTimeout.TotalMilliseconds + 1500);
    }

    [Fact]
    public async Task A_large_answer_is_kept_truncated()
    {
        var url = Receiver.NewUrl();
        Receiver.Enqueue(url, Reply.Fail(500, new string('x', 200_000)));
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var attempt = (await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1)).Attempts[0];
        Assert.Equal(500, attempt.StatusCode);
        Assert.Equal(new string('x', 4096) + "…", attempt.ResponseExcerpt);
    }

    [Fact]
    public async Task An_endpoint_nobody_listens_on_is_a_recorded_failure()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}/hooks/nobody";
        var (subscription, taskId) = await SubscribeAndCancelAsync(url);

        var delivery = await DeliveryOfAsync(subscription.Id, taskId, "task.cancelled", d => d.AttemptCount == 1);
        Assert.Equal((null, "pending"), (delivery.Attempts[0].StatusCode, delivery.Status));
        Assert.Contains("refused", delivery.Attempts[0].Error, StringComparison.OrdinalIgnoreCase);
    }

    async Task<(Optio.Api.Notifications.Subscriptions.WebhookSubscriptionView, Guid)> SubscribeAndCancelAsync(string url)
    {
        var subscription = await SubscribeAsync(url, ["task.cancelled"]);
        var task = await Host.CreateTaskAsync("Retry me");
        await Host.CancelAsync(task.Id, "to announce");
        return (subscription, task.Id);
    }
}
