using Optio.Domain.Webhooks;

namespace Optio.Tests.Domain;

/// <summary>The delivery model: what each attempt's answer makes of a delivery, retries, giving up and sending again.</summary>
public class DeliveryModelTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    const double NoJitter = 0.5;

    static readonly AttemptResult Ok = new(200, null, 12, "ok", null);
    static readonly AttemptResult Broken = new(500, null, 12, "broken", null);

    static DeliveryScheduled Scheduled(bool singleAttempt = false) =>
        new(Guid.NewGuid(), "task.completed", Guid.NewGuid(), 7, "{}", Now, SingleAttempt: singleAttempt);

    /// <summary>Folds what <paramref name="delivery"/> decides about <paramref name="result"/>.</summary>
    static (Delivery After, DeliveryAttempted Attempt) Attempt(Delivery delivery, AttemptResult result, DateTimeOffset at, double jitter = NoJitter)
    {
        var attempt = delivery.Attempted(result, at, jitter);
        return (delivery.When(attempt, at), attempt);
    }

    [Fact]
    public void A_scheduled_delivery_is_pending_and_due_when_scheduled()
    {
        var delivery = Delivery.Begin(Scheduled());
        Assert.Equal((DeliveryStatus.Pending, Now, Now, 0), (delivery.Status, delivery.CreatedAt, delivery.NextAttemptAt, delivery.AttemptCount));
        Assert.False(delivery.IsDue(Now.AddTicks(-1)));
        Assert.True(delivery.IsDue(Now));
    }

    [Fact]
    public void A_2xx_answer_delivers_it_with_no_next_attempt()
    {
        var (after, attempt) = Attempt(Delivery.Begin(Scheduled()), Ok, Now);
        Assert.Equal((1, true, (DateTimeOffset?)null), (attempt.Attempt, attempt.Succeeded, attempt.NextAttemptAt));
        Assert.Equal((DeliveryStatus.Delivered, (DateTimeOffset?)Now, (string?)null), (after.Status, after.FinishedAt, after.AbandonedReason));
        Assert.False(after.IsDue(Now.AddYears(1)));
    }

    [Fact]
    public void Failures_are_retried_on_the_schedule_then_given_up_as_retries_spent()
    {
        var delivery = Delivery.Begin(Scheduled());
        var at = Now;
        for (var n = 1; n < RetrySchedule.MaxAttempts; n++)
        {
            (delivery, var attempt) = Attempt(delivery, Broken, at);
            Assert.Equal(n, attempt.Attempt);
            Assert.Equal(at + RetrySchedule.Delays[n], attempt.NextAttemptAt);
            Assert.Equal((DeliveryStatus.Pending, attempt.NextAttemptAt, (DateTimeOffset?)null), (delivery.Status, delivery.NextAttemptAt, delivery.FinishedAt));
            at = attempt.NextAttemptAt!.Value;
        }
        var (spent, last) = Attempt(delivery, Broken, at);
        Assert.Equal((RetrySchedule.MaxAttempts, (DateTimeOffset?)null), (last.Attempt, last.NextAttemptAt));
        Assert.Equal((DeliveryStatus.Failed, Delivery.RetriesSpent, (DateTimeOffset?)at), (spent.Status, spent.AbandonedReason, spent.FinishedAt));
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.999999, 1.2)]
    public void Jitter_spreads_a_retry_by_up_to_a_fifth(double jitter, double factor)
    {
        var first = Attempt(Delivery.Begin(Scheduled()), Broken, Now).After;
        var (_, second) = Attempt(first, Broken, Now, jitter);
        Assert.Equal(RetrySchedule.Delays[2].TotalSeconds * factor, (second.NextAttemptAt!.Value - Now).TotalSeconds, 3);
    }

    [Fact]
    public void A_longer_retry_after_wins_over_the_schedule()
    {
        var tooMany = new AttemptResult(429, null, 3, "slow down", TimeSpan.FromHours(1));
        var (_, attempt) = Attempt(Delivery.Begin(Scheduled()), tooMany, Now);
        Assert.Equal(Now.AddHours(1), attempt.NextAttemptAt);
    }

    [Fact]
    public void A_410_is_not_retried()
    {
        var (after, attempt) = Attempt(Delivery.Begin(Scheduled()), new AttemptResult(410, null, 3, null, null), Now);
        Assert.Null(attempt.NextAttemptAt);
        Assert.Equal(DeliveryStatus.Failed, after.Status);
    }

    [Fact]
    public void A_single_attempt_that_fails_is_given_up_at_once()
    {
        var (after, attempt) = Attempt(Delivery.Begin(Scheduled(singleAttempt: true)), Broken, Now);
        Assert.Null(attempt.NextAttemptAt);
        Assert.Equal((DeliveryStatus.Failed, Delivery.SingleAttemptFailed), (after.Status, after.AbandonedReason));
    }

    [Fact]
    public void A_ping_is_a_single_attempt_due_now()
    {
        var subscription = Guid.NewGuid();
        var ping = Delivery.Ping(subscription, "{}", Now);
        Assert.Equal((subscription, WebhookEvents.Ping, Guid.Empty, Now, true), (ping.SubscriptionId, ping.EventType, ping.TaskId, ping.DueAt, ping.SingleAttempt));
    }

    [Fact]
    public void A_pending_delivery_cannot_be_redelivered()
    {
        var pending = Attempt(Delivery.Begin(Scheduled()), Broken, Now).After;
        Assert.Null(pending.Redeliver(Now));
    }

    [Fact]
    public void A_failed_delivery_sent_again_gets_one_more_attempt_without_retries()
    {
        var failed = Attempt(Delivery.Begin(Scheduled(singleAttempt: true)), Broken, Now).After;
        var later = Now.AddHours(1);
        var again = failed.When(Assert.IsType<DeliveryRedeliveryRequested>(failed.Redeliver(later)), later);
        Assert.Equal((DeliveryStatus.Pending, (DateTimeOffset?)later, true, (string?)null), (again.Status, again.NextAttemptAt, again.SingleAttempt, again.AbandonedReason));

        var (after, attempt) = Attempt(again, Broken, later);
        Assert.Equal((2, (DateTimeOffset?)null), (attempt.Attempt, attempt.NextAttemptAt));
        Assert.Equal(Delivery.SingleAttemptFailed, after.AbandonedReason);
    }

    [Fact]
    public void A_delivered_delivery_may_be_sent_again() =>
        Assert.NotNull(Attempt(Delivery.Begin(Scheduled()), Ok, Now).After.Redeliver(Now));

    [Fact]
    public void Abandoning_fails_it_with_the_reason_at_its_time_or_when_recorded()
    {
        var delivery = Delivery.Begin(Scheduled());
        var abandoned = delivery.When(delivery.Abandon(Delivery.SubscriptionDeleted, Now), Now.AddSeconds(5));
        Assert.Equal((DeliveryStatus.Failed, (DateTimeOffset?)null, (DateTimeOffset?)Now, Delivery.SubscriptionDeleted),
            (abandoned.Status, abandoned.NextAttemptAt, abandoned.FinishedAt, abandoned.AbandonedReason));
        Assert.Equal(Now.AddSeconds(5), delivery.When(new DeliveryAbandoned("old event without a time"), Now.AddSeconds(5)).FinishedAt);
    }

    [Fact]
    public void A_deleted_or_disabled_subscription_takes_no_delivery()
    {
        Assert.Equal(Delivery.SubscriptionDeleted, Delivery.WhyNotSend(false, false, null));
        Assert.Equal("the subscription is disabled: the endpoint answered 410 Gone", Delivery.WhyNotSend(true, false, SubscriptionHealth.GoneReason));
        Assert.Null(Delivery.WhyNotSend(true, true, null));
    }
}
