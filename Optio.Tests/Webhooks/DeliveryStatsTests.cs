using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;

namespace Optio.Tests.Webhooks;

/// <summary><c>GET /api/webhooks/deliveries/stats</c>: the overview's deliveries per hour.</summary>
[Collection(WebhooksCollection.Name)]
public class DeliveryStatsTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task Deliveries_of_the_last_hours_are_counted_hour_by_hour_by_where_they_stand()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var delivered = await Host.CreateTaskAsync("Stats delivered");
        await DeliveryOfAsync(subscription.Id, delivered.Id, "task.created", d => d.Status == "delivered");
        Receiver.AnswerAlways(url, Reply.Fail(500, "down"));
        var pending = await Host.CreateTaskAsync("Stats pending");
        await DeliveryOfAsync(subscription.Id, pending.Id, "task.created", d => d.AttemptCount == 1);

        var stats = (await Host.GetAsJson<DeliveryStatsView>($"/api/webhooks/deliveries/stats?hours=3&subscription={subscription.Id}"))!;

        Assert.Equal((1, 0, 1), (stats.Delivered, stats.Failed, stats.Pending));
        Assert.Equal(3, stats.Hours.Count);
        Assert.Equal(stats.Since, stats.Hours[0].Hour);
        Assert.Equal([TimeSpan.FromHours(1), TimeSpan.FromHours(1)], stats.Hours.Zip(stats.Hours.Skip(1), (a, b) => b.Hour - a.Hour));
        var now = Api.Clock.GetUtcNow();
        Assert.InRange(now - stats.Hours[^1].Hour, TimeSpan.Zero, TimeSpan.FromHours(1));
        Assert.Equal((1, 1), (stats.Hours[^1].Delivered, stats.Hours[^1].Pending));

        var all = (await Host.GetAsJson<DeliveryStatsView>("/api/webhooks/deliveries/stats"))!;
        Assert.Equal(24, all.Hours.Count);
        Assert.True(all.Delivered >= 1 && all.Pending >= 1);
    }

    [Theory]
    [InlineData("?hours=0")]
    [InlineData("?hours=10000")]
    public async Task A_span_out_of_range_is_a_400_problem(string query)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/webhooks/deliveries/stats{query}");
            s.StatusCodeShouldBe(400);
            s.ContentTypeShouldBe("application/problem+json");
        });
        Assert.Contains("'hours' must be between 1 and 168", await result.ReadAsTextAsync());
    }
}
