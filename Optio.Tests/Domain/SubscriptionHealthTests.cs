using Optio.Domain.Webhooks;

namespace Optio.Tests.Domain;

/// <summary>What an attempt's answer does to its subscription.</summary>
public class SubscriptionHealthTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    static readonly AttemptResult Ok = new(204, null, 1, null, null);
    static readonly AttemptResult Broken = new(500, null, 1, null, null);

    [Fact]
    public void A_first_failure_starts_the_failing_streak() =>
        Assert.Equal(new SubscriptionHealth(Now, null), SubscriptionHealth.After(Broken, null, Now));

    [Fact]
    public void A_later_failure_keeps_the_streak_start() =>
        Assert.Equal(new SubscriptionHealth(Now.AddDays(-1), null), SubscriptionHealth.After(Broken, Now.AddDays(-1), Now));

    [Fact]
    public void A_success_ends_the_streak() =>
        Assert.Equal(new SubscriptionHealth(null, null), SubscriptionHealth.After(Ok, Now.AddDays(-6), Now));

    [Fact]
    public void Failing_for_five_days_straight_disables_the_subscription()
    {
        var since = Now - SubscriptionHealth.DisableAfterFailingFor;
        var health = SubscriptionHealth.After(Broken, since, Now);
        Assert.Equal(since, health.FailingSince);
        Assert.Equal($"every delivery failed for 5 days (since {since:O})", health.DisableReason);
        Assert.Null(SubscriptionHealth.After(Broken, since.AddTicks(1), Now).DisableReason);
    }

    [Fact]
    public void A_410_disables_it_at_once() =>
        Assert.Equal(SubscriptionHealth.GoneReason, SubscriptionHealth.After(new AttemptResult(410, null, 1, null, null), null, Now).DisableReason);
}
