using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Projections.TaskList;

namespace Optio.Tests.Webhooks;

[Collection(WebhooksCollection.Name)]
public class DeliveryTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task A_task_driven_through_the_api_is_announced_event_by_event_in_order()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url);
        var task = await Host.CreateTaskAsync("Announce me", "https://github.com/acme/announce");

        await Host.ClaimUntilAsync(task.Id, "runner-w", leaseSeconds: 3600);
        await Host.StartAsync(task.Id, "runner-w");
        await Host.ReportPrAsync(task.Id, "https://github.com/acme/announce/pull/3");
        await Host.FailAsync(task.Id, "CI is red");
        await Host.PostForTaskAsync($"/api/tasks/{task.Id}/retry");
        await Host.CancelAsync(task.Id, "not needed");

        string[] expected = ["task.created", "task.queued", "task.running", "task.pr_opened", "task.failed", "task.queued", "task.cancelled"];
        var received = await Eventually.Until(() => Task.FromResult(ReceivedFor(url, task.Id)), r => r.Count >= expected.Length, what: "all announcements");
        Assert.Equal(expected, received.Select(r => Json(r).GetProperty("event").GetString()));
        Assert.Equal(expected, received.Select(r => r.Header("X-Optio-Event")));
        Assert.Equal(["queued", "queued", "running", "pr_opened", "failed", "queued", "cancelled"],
            received.Select(r => Json(r).GetProperty("data").GetProperty("state").GetString()));
        Assert.Equal([null, null, "provisioning", "running", "pr_opened", "failed", "queued"],
            received.Select(r => Json(r).GetProperty("data").GetProperty("previousState").GetString()));
        Assert.All(received, r => Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, r)));
        Assert.Equal(received.Count, received.Select(r => r.Header("webhook-id")).Distinct().Count());
    }

    [Fact]
    public async Task Delivery_streams_never_show_up_as_tasks()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var task = await Host.CreateTaskAsync("Only one task");
        var delivery = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.Status == "delivered");

        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{delivery.Id}"); s.StatusCodeShouldBe(404); });
        await using var session = Api.Store.QuerySession();
        Assert.Null(await session.LoadAsync<Optio.Projections.TaskList.TaskSummary>(delivery.Id));
    }

    [Fact]
    public async Task A_merged_task_is_announced_as_completed_with_its_pr()
    {
        var url = Receiver.NewUrl();
        await SubscribeAsync(url, ["task.completed"]);
        var task = await Host.CreateTaskAsync("Merge me", "https://github.com/acme/merge");

        await Host.MergeAsync(task.Id, "https://github.com/acme/merge/pull/8");

        var completed = Assert.Single(await Receiver.WaitForAsync(url, 1));
        var data = Json(completed).GetProperty("data");
        Assert.Equal(("task.completed", "completed", "pr_opened", "https://github.com/acme/merge/pull/8"),
            (Json(completed).GetProperty("event").GetString(), data.GetProperty("state").GetString(),
                data.GetProperty("previousState").GetString(), data.GetProperty("prUrl").GetString()));
    }

    [Fact]
    public async Task The_payload_has_the_documented_shape()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created", "task.needs_attention"]);
        var taskId = await Host.ImportAsync(TaskDriver.GitHubTicket("acme", $"shape{Guid.NewGuid():N}"[..12], 42, "Shape it"));
        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromHours(1), Api.Clock.GetUtcNow()));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
        await Host.DecideAsync(taskId, t => t.OpenPr("https://github.com/acme/shape/pull/1"));
        await Host.DecideAsync(taskId, t => t.NeedAttention("changes requested"));

        var received = await Receiver.WaitForAsync(url, 2);
        var created = received.Single(r => r.Header("X-Optio-Event") == "task.created");
        var root = Json(created);
        Assert.Equal(["id", "event", "timestamp", "data"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(created.Header("webhook-id"), root.GetProperty("id").GetString());
        Assert.Equal(created.Header("webhook-id"), created.Header("X-Optio-Delivery"));
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("timestamp").GetString(), out _));
        var data = root.GetProperty("data");
        Assert.Equal(["taskId", "title", "repoUrl", "state", "previousState", "prUrl", "costUsd", "reason", "ticket", "version"],
            data.EnumerateObject().Select(p => p.Name));
        Assert.Equal((taskId, "Shape it", "queued", JsonValueKind.Null, JsonValueKind.Null, 1L),
            (data.GetProperty("taskId").GetGuid(), data.GetProperty("title").GetString(), data.GetProperty("state").GetString(),
                data.GetProperty("prUrl").ValueKind, data.GetProperty("costUsd").ValueKind, data.GetProperty("version").GetInt64()));
        Assert.StartsWith("https://github.com/acme/shape", data.GetProperty("repoUrl").GetString());
        var ticket = data.GetProperty("ticket");
        Assert.Equal("github", ticket.GetProperty("source").GetString());
        Assert.EndsWith("#42", ticket.GetProperty("externalId").GetString());
        Assert.EndsWith("/issues/42", ticket.GetProperty("url").GetString());
        Assert.Equal("application/json; charset=utf-8", created.Header("Content-Type"));

        var attention = Json(received.Single(r => r.Header("X-Optio-Event") == "task.needs_attention")).GetProperty("data");
        Assert.Equal(("needs_attention", "pr_opened", "changes requested", "https://github.com/acme/shape/pull/1"),
            (attention.GetProperty("state").GetString(), attention.GetProperty("previousState").GetString(),
                attention.GetProperty("reason").GetString(), attention.GetProperty("prUrl").GetString()));

        var history = await DeliveriesAsync(subscription.Id);
        Assert.Equal(created.Body, Assert.Single(history.Items, d => d.Event == "task.created").Payload.GetRawText());
    }

    [Fact]
    public async Task A_new_tasks_first_queued_announcement_has_no_previous_state()
    {
        var url = Receiver.NewUrl();
        await SubscribeAsync(url, ["task.queued"]);
        var created = await Host.CreateTaskAsync("Born queued");
        var imported = await Host.ImportAsync(TaskDriver.GitHubTicket("acme", $"born{Guid.NewGuid():N}"[..12], 7, "Imported queued"));

        foreach (var taskId in new[] { created.Id, imported })
        {
            var queued = Json(Assert.Single(await Eventually.Until(() => Task.FromResult(ReceivedFor(url, taskId)), r => r.Count == 1,
                what: $"the task.queued delivery of {taskId}"))).GetProperty("data");
            Assert.Equal(("queued", JsonValueKind.Null), (queued.GetProperty("state").GetString(), queued.GetProperty("previousState").ValueKind));
        }
    }

    [Fact]
    public async Task Both_signatures_verify_with_an_independent_implementation_and_fail_for_a_wrong_secret()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        await Host.CreateTaskAsync("Sign me");

        var request = Assert.Single(await Receiver.WaitForAsync(url, 1));
        Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, request));
        Assert.True(SubscriberVerification.GitHubStyle(subscription.Secret!, request));
        Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", request.Header("webhook-signature"));
        Assert.Matches("^sha256=[0-9a-f]{64}$", request.Header("X-Optio-Signature-256"));
        Assert.InRange(long.Parse(request.Header("webhook-timestamp")),
            Api.Clock.GetUtcNow().ToUnixTimeSeconds() - 60, Api.Clock.GetUtcNow().ToUnixTimeSeconds() + 1);

        var other = "whsec_" + Convert.ToBase64String(new byte[24]);
        Assert.False(SubscriberVerification.StandardWebhooks(other, request));
        Assert.False(SubscriberVerification.GitHubStyle(other, request));
        var tampered = request with { Body = request.Body.Replace("Sign me", "Sign you") };
        Assert.False(SubscriberVerification.StandardWebhooks(subscription.Secret!, tampered));
        Assert.False(SubscriberVerification.GitHubStyle(subscription.Secret!, tampered));
    }

    [Fact]
    public async Task A_secret_of_ones_own_signs_with_its_utf8_bytes()
    {
        var url = Receiver.NewUrl();
        await SubscribeAsync(url, ["task.created"], secret: "correct horse battery staple");
        await Host.CreateTaskAsync("Own secret");

        var request = Assert.Single(await Receiver.WaitForAsync(url, 1));
        Assert.True(SubscriberVerification.StandardWebhooks("correct horse battery staple", request));
        Assert.True(SubscriberVerification.GitHubStyle("correct horse battery staple", request));
    }

    [Fact]
    public async Task During_a_rotation_both_secrets_sign_for_24_hours_then_only_the_new_one()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        var rotated = await PatchAsync(subscription.Id, new { rotateSecret = true });

        await Host.CreateTaskAsync("During rotation");
        var during = Assert.Single(await Receiver.WaitForAsync(url, 1));
        var signatures = during.Header("webhook-signature").Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.All(signatures, s => Assert.StartsWith("v1,", s));
        Assert.True(SubscriberVerification.StandardWebhooks(subscription.Secret!, during));
        Assert.True(SubscriberVerification.StandardWebhooks(rotated.Secret!, during));
        Assert.True(SubscriberVerification.GitHubStyle(rotated.Secret!, during));

        Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await Host.CreateTaskAsync("After rotation");
        var after = (await Receiver.WaitForAsync(url, 2))[1];
        Assert.Single(after.Header("webhook-signature").Split(' '));
        Assert.True(SubscriberVerification.StandardWebhooks(rotated.Secret!, after));
        Assert.False(SubscriberVerification.StandardWebhooks(subscription.Secret!, after));
        Assert.False((await GetSubscriptionAsync(subscription.Id)).RotatingSecret);
    }

    [Fact]
    public async Task Only_subscribed_events_of_enabled_subscriptions_are_delivered()
    {
        var completedOnly = Receiver.NewUrl();
        var disabled = Receiver.NewUrl();
        await SubscribeAsync(completedOnly, ["task.completed"]);
        var off = await SubscribeAsync(disabled, ["*"]);
        await PatchAsync(off.Id, new { enabled = false });
        var everything = Receiver.NewUrl();
        await SubscribeAsync(everything, ["*"]);

        var task = await Host.CreateTaskAsync("Filter me");
        await Host.CancelAsync(task.Id, "filtered");

        // The catch-all subscription got all three; by then the others had their chance.
        await Eventually.Until(() => Task.FromResult(ReceivedFor(everything, task.Id)), r => r.Count == 3, what: "the catch-all deliveries");
        Assert.Empty(Receiver.RequestsTo(completedOnly));
        Assert.Empty(Receiver.RequestsTo(disabled));
        Assert.Empty((await DeliveriesAsync(off.Id)).Items);
    }

    [Fact]
    public async Task A_tasks_deliveries_wait_for_the_earlier_one_that_is_being_retried()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url);
        Receiver.Enqueue(url, Reply.Fail(500), Reply.Fail(503));
        var task = await Host.CreateTaskAsync("Keep my order");
        await Host.CancelAsync(task.Id, "ordering");

        var first = await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 1);
        await Task.WhenAll(SendDueAsync(), SendDueAsync());
        Assert.Single(ReceivedFor(url, task.Id));
        var queued = await DeliveryOfAsync(subscription.Id, task.Id, "task.queued", _ => true);
        Assert.Equal(("pending", 0), (queued.Status, queued.AttemptCount));

        Advance(first.NextAttemptAt!.Value - Api.Clock.GetUtcNow());
        await DeliveryOfAsync(subscription.Id, task.Id, "task.created", d => d.AttemptCount == 2);
        var second = await DeliveryAsync(first.Id);
        Advance(second.NextAttemptAt!.Value - Api.Clock.GetUtcNow());

        var received = await Eventually.Until(() => Task.FromResult(ReceivedFor(url, task.Id)), r => r.Count == 5 && r.All(x => x.Status != 0));
        Assert.Equal(["task.created", "task.created", "task.created", "task.queued", "task.cancelled"],
            received.Select(r => r.Header("X-Optio-Event")));
        Assert.Equal([500, 503, 200, 200, 200], received.Select(r => r.Status));
    }

    [Fact]
    public async Task Each_subscription_gets_its_own_delivery_id_for_the_same_event()
    {
        var (a, b) = (Receiver.NewUrl(), Receiver.NewUrl());
        await SubscribeAsync(a, ["task.created"]);
        await SubscribeAsync(b, ["task.created"]);
        await Host.CreateTaskAsync("Fan out");

        var fromA = Assert.Single(await Receiver.WaitForAsync(a, 1));
        var fromB = Assert.Single(await Receiver.WaitForAsync(b, 1));
        Assert.NotEqual(fromA.Header("webhook-id"), fromB.Header("webhook-id"));
        Assert.Equal(Json(fromA).GetProperty("data").GetRawText(), Json(fromB).GetProperty("data").GetRawText());
    }
}
