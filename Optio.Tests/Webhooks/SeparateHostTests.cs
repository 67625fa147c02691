using Microsoft.Extensions.DependencyInjection;
using Optio.Api.Core.Database;
using Optio.Api.Tasks;
using Optio.Api.Notifications;
using System.Text.Json;
using Alba;
using JasperFx;
using Marten;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Weasel.Core;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Notifications.Slack;
using Optio.Api.Notifications.Subscriptions;
using Optio.Domain.Tasks;

namespace Optio.Tests.Webhooks;

/// <summary>Scenarios that need hosts of their own: a configuration without the loopback allow-list, and crashes.</summary>
[Collection(WebhooksCollection.Name)]
public class SeparateHostTests(WebhooksHost api)
{
    WebhookReceiver Receiver => api.Receiver;

    [Fact]
    public async Task Without_the_allow_list_a_name_that_resolves_to_loopback_is_refused_when_connecting()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("optio_ssrf");
        await using var host = await ApiHost.StartHostAsync(connectionString, new FakeTimeProvider(DateTimeOffset.UtcNow),
            settings: WebhooksHost.Settings(allowLoopback: false));
        var url = $"http://localhost:{Receiver.Port}/hooks/{Guid.NewGuid():N}";

        // Accepted when saved: the check happens when connecting, after DNS, so a name re-pointed later is caught too.
        var subscription = await SubscribeAsync(host, url, ["task.created"]);
        var task = await host.CreateTaskAsync("Reach for loopback");

        var delivery = await Eventually.Until(async () => (await host.GetAsJson<DeliveryPage>($"/api/webhooks/{subscription.Id}/deliveries"))!.Items.SingleOrDefault(),
            d => d is { AttemptCount: 1 }, what: "the refused attempt");
        Assert.Equal((task.Id, "pending", null), (delivery!.TaskId, delivery.Status, delivery.Attempts[0].StatusCode));
        Assert.Contains("Refusing to connect to localhost", delivery.Attempts[0].Error);
        Assert.Contains("127.0.0.1", delivery.Attempts[0].Error);
        Assert.NotNull(delivery.NextAttemptAt);

        foreach (var sneaky in new[] { $"http://127.0.0.1:{Receiver.Port}/hooks/x", $"http://[::ffff:127.0.0.1]:{Receiver.Port}/hooks/x", $"http://127.1:{Receiver.Port}/hooks/x" })
        {
            var other = await SubscribeAsync(host, sneaky, ["task.completed"]);
            var ping = (await (await host.Scenario(s => { s.Post.Url($"/api/webhooks/{other.Id}/test"); s.ConfigureHttpContext(c => c.Request.ContentLength = 0); }))
                .ReadAsJsonAsync<DeliveryView>())!;
            Assert.Equal("failed", ping.Status);
            Assert.Contains("Refusing to connect", ping.Attempts.Single().Error);
        }

        var slack = (await (await host.Scenario(s => s.Post.Json(new { webhookUrl = $"https://localhost:{Receiver.Port}/slack/x" }).ToUrl("/api/slack/test")))
            .ReadAsJsonAsync<SlackTestResult>())!;
        Assert.False(slack.Ok);
        Assert.Contains("Refusing to connect", slack.Error);
        Assert.DoesNotContain(Receiver.Requests, r => r.Path.EndsWith("/x") || r.Path == new Uri(url).AbsolutePath);
    }

    [Fact]
    public async Task A_delivery_interrupted_by_a_crash_is_sent_after_the_restart_with_the_same_webhook_id()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("optio_crash");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var url = Receiver.NewUrl();
        Receiver.AnswerAlways(url, Reply.Fail(503, "deploying"));

        var first = await ApiHost.StartHostAsync(connectionString, clock, settings: WebhooksHost.Settings());
        var subscription = await SubscribeAsync(first, url, ["task.created", "task.queued"]);
        var task = await first.CreateTaskAsync("Survive a crash");
        var failed = Assert.Single(await Receiver.WaitForAsync(url, 1));
        await first.DisposeAsync();

        Receiver.AnswerAlways(url, Reply.Ok);
        clock.Advance(TimeSpan.FromSeconds(10));
        await using var second = await ApiHost.StartHostAsync(connectionString, clock, settings: WebhooksHost.Settings());

        var received = await Receiver.WaitForAsync(url, 3);
        Assert.Equal([503, 200, 200], received.Select(r => r.Status));
        Assert.Equal(["task.created", "task.created", "task.queued"], received.Select(r => r.Header("X-Optio-Event")));
        Assert.Equal(failed.Header("webhook-id"), received[1].Header("webhook-id"));
        Assert.Equal(failed.Body, received[1].Body);
        Assert.All(received, r => Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, r)));
        Assert.All(received, r => Assert.Equal(task.Id, JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("taskId").GetGuid()));
    }

    [Fact]
    public async Task An_event_stored_while_no_node_ran_is_delivered_when_one_starts_and_nothing_is_sent_twice()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("optio_down");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var url = Receiver.NewUrl();

        var first = await ApiHost.StartHostAsync(connectionString, clock, settings: WebhooksHost.Settings());
        var subscription = await SubscribeAsync(first, url, ["*"]);
        var task = await first.CreateTaskAsync("Stored while down");
        var before = await Receiver.WaitForAsync(url, 2);
        await Eventually.Until(async () => (await first.GetAsJson<DeliveryPage>($"/api/webhooks/{subscription.Id}/deliveries?status=delivered"))!.Total,
            n => n == 2, what: "both attempts recorded");
        await first.DisposeAsync();

        // The node died right after committing an event (its subscription never saw it), and the subscription's
        // progress is older than the deliveries already written (a crash between writing them and recording the page).
        using (var store = DocumentStore.For(o =>
               {
                   EventStore.Configure(o, connectionString);
                   o.AutoCreateSchemaObjects = AutoCreate.None;
                   TasksSetup.ConfigureStore(o);
                   NotificationsSetup.ConfigureStore(o);
               }))
        {
            await using var session = store.LightweightSession();
            session.Events.Append(task.Id, task.Version + 1, new TaskCancelled("cancelled while every node was down"));
            await session.SaveChangesAsync();
        }
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var rewind = new NpgsqlCommand("delete from optio.mt_event_progression where name like 'webhook-deliveries%'", connection);
            Assert.Equal(1, await rewind.ExecuteNonQueryAsync());
        }

        await using var second = await ApiHost.StartHostAsync(connectionString, clock, settings: WebhooksHost.Settings());
        var received = await Receiver.WaitForAsync(url, 3);
        Assert.Equal(["task.created", "task.queued", "task.cancelled"], received.Select(r => r.Header("X-Optio-Event")));
        Assert.Equal(before.Select(r => r.Header("webhook-id")), received.Take(2).Select(r => r.Header("webhook-id")));
        Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, received[2]));

        // A later event shows the node is past the replayed page: still nothing sent twice.
        await second.PostForTaskAsync($"/api/tasks/{task.Id}/retry");
        var all = await Receiver.WaitForAsync(url, 4);
        Assert.Equal(4, all.Count);
        Assert.Equal(4, all.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Equal(4, (await second.GetAsJson<DeliveryPage>($"/api/webhooks/{subscription.Id}/deliveries"))!.Total);
    }

    [Fact]
    public async Task With_nobody_subscribed_the_scheduler_keeps_nothing_and_a_later_subscription_hears_the_next_event_with_the_state_before_it()
    {
        var connectionString = await TestPostgres.NewDatabaseAsync("optio_nobody");
        await using var host = await ApiHost.StartHostAsync(connectionString, new FakeTimeProvider(DateTimeOffset.UtcNow), settings: WebhooksHost.Settings());
        var store = host.Services.GetRequiredService<IDocumentStore>();
        var task = await host.CreateTaskAsync("Before anyone listened");
        await host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        long last;
        await using (var query = store.QuerySession())
            last = (await query.Events.FetchStreamAsync(task.Id)).Max(e => e.Sequence);
        await Eventually.Until(() => SchedulerProgressAsync(connectionString), seq => seq >= last, what: "the scheduler past the claim");
        await using (var query = store.QuerySession())
            Assert.Null(await query.LoadAsync<ScheduledTask>(task.Id)); // nobody to tell: the page was not even folded

        var url = Receiver.NewUrl();
        await SubscribeAsync(host, url, ["task.running"]);
        await host.DecideAsync(task.Id, t => t.Start("runner"));

        var data = JsonDocument.Parse(Assert.Single(await Receiver.WaitForAsync(url, 1)).Body).RootElement.GetProperty("data");
        Assert.Equal(("running", "provisioning", 4L),
            (data.GetProperty("state").GetString(), data.GetProperty("previousState").GetString(), data.GetProperty("version").GetInt64()));
    }

    static async Task<long> SchedulerProgressAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select coalesce(max(last_seq_id), 0) from optio.mt_event_progression where name like 'webhook-deliveries%'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    static async Task<WebhookSubscriptionView> SubscribeAsync(IAlbaHost host, string url, string[] events)
    {
        var result = await host.Scenario(s => { s.Post.Json(new { url, events }).ToUrl("/api/webhooks"); s.StatusCodeShouldBe(201); });
        return (await result.ReadAsJsonAsync<WebhookSubscriptionView>())!;
    }
}
