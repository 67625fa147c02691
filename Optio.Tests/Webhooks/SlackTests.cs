using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Slack;
using Optio.Api.Repos;

namespace Optio.Tests.Webhooks;

/// <summary>Slack notifications: per repo, Block Kit bodies, through the same delivery pipeline.</summary>
[Collection(WebhooksCollection.Name)]
public class SlackTests(WebhooksHost api) : WebhookTest(api)
{
    WebhookReceiver Slack => Api.SecureReceiver;

    [Fact]
    public async Task A_repo_with_slack_on_gets_block_kit_messages_for_pr_opened_completed_failed_and_needs_attention()
    {
        var slackUrl = Slack.NewUrl("slack");
        var repo = await ConnectRepoAsync(slackUrl);
        var witness = Receiver.NewUrl();
        await SubscribeAsync(witness, ["task.needs_attention"]);
        var merged = await Host.CreateTaskAsync("Ship the feature", repo.Url);
        await Host.MergeAsync(merged.Id, $"{repo.Url}/pull/10");
        var failed = await Host.CreateTaskAsync("Doomed", repo.Url);
        await Host.FailAsync(failed.Id, "the build image is gone");
        var attention = await Host.CreateTaskAsync("Needs eyes", repo.Url);
        await Host.DecideAsync(attention.Id, t => t.Claim("runner", TimeSpan.FromHours(1), Api.Clock.GetUtcNow()));
        await Host.DecideAsync(attention.Id, t => t.Start("runner"));
        await Host.DecideAsync(attention.Id, t => t.OpenPr($"{repo.Url}/pull/11"));
        await Host.DecideAsync(attention.Id, t => t.NeedAttention("CI failed: 3 tests"));

        // The last event reached a webhook subscriber, so every Slack delivery is scheduled by now: only these five
        // (created, queued and running are not Slack-worthy).
        await Receiver.WaitForAsync(witness, 1);
        Assert.Equal(5, (await DeliveriesAsync(repo.Id)).Total);
        var messages = await Slack.WaitForAsync(slackUrl, 5);
        Assert.Equal(5, messages.Count);
        var headers = messages.Select(m => Header(m.Body)).ToList();
        Assert.Equal(2, headers.Count(h => h.Contains("Pull request opened")));
        Assert.Single(headers, h => h.Contains("Task completed"));
        Assert.Single(headers, h => h.Contains("Task failed"));
        Assert.Single(headers, h => h.Contains("needs attention"));

        foreach (var message in messages)
        {
            var body = Json(message.Body);
            Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("text").GetString()));
            Assert.Equal(["header", "section", "context"], body.GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("type").GetString()));
            Assert.Equal("mrkdwn", body.GetProperty("blocks")[1].GetProperty("text").GetProperty("type").GetString());
            Assert.Null(message.HeaderOrNull("webhook-signature"));
        }
        var completed = messages.Single(m => Header(m.Body).Contains("Task completed"));
        Assert.Contains($"<{repo.Url}/pull/10>", Section(completed.Body));
        Assert.Contains("Ship the feature", Section(completed.Body));
        Assert.Contains("the build image is gone", Section(messages.Single(m => Header(m.Body).Contains("Task failed")).Body));
        Assert.Contains("CI failed: 3 tests", Section(messages.Single(m => Header(m.Body).Contains("needs attention")).Body));

        // Recorded like any delivery, under the repo.
        var history = await DeliveriesAsync(repo.Id, "?pageSize=200");
        Assert.Equal(5, history.Total);
        Assert.All(history.Items, d => Assert.Equal(("slack", "delivered"), (d.Channel, d.Status)));
    }

    [Fact]
    public async Task A_slack_message_that_fails_is_retried_like_any_delivery()
    {
        var slackUrl = Slack.NewUrl("slack");
        Slack.Enqueue(slackUrl, Reply.Fail(500, "rollup_error"));
        var repo = await ConnectRepoAsync(slackUrl);
        var task = await Host.CreateTaskAsync("Retry on Slack", repo.Url);
        await Host.FailAsync(task.Id, "flaky");

        var first = await Eventually.Until(async () => (await DeliveriesAsync(repo.Id)).Items.SingleOrDefault(), d => d is { AttemptCount: 1 });
        Assert.Equal(("pending", 500, "rollup_error"), (first!.Status, first.Attempts[0].StatusCode, first.Attempts[0].ResponseExcerpt));
        Advance(first.NextAttemptAt!.Value - Api.Clock.GetUtcNow());
        await SendDueAsync();
        await Eventually.Until(() => DeliveryAsync(first.Id), d => d.Status == "delivered");
        var requests = Slack.RequestsTo(slackUrl);
        Assert.Equal([500, 200], requests.Select(r => r.Status));
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Fact]
    public async Task Repos_without_slack_or_with_it_turned_off_get_nothing()
    {
        var slackUrl = Slack.NewUrl("slack");
        var repo = await ConnectRepoAsync(slackUrl);
        await Host.Scenario(s => { s.Patch.Json(new { slackEnabled = false }).ToUrl($"/api/repos/{repo.Id}"); s.StatusCodeShouldBeOk(); });
        var witnessUrl = Slack.NewUrl("slack");
        var witness = await ConnectRepoAsync(witnessUrl);

        var off = await Host.CreateTaskAsync("Quiet", repo.Url);
        await Host.FailAsync(off.Id, "nobody hears");
        var on = await Host.CreateTaskAsync("Loud", witness.Url);
        await Host.FailAsync(on.Id, "everybody hears");

        await Slack.WaitForAsync(witnessUrl, 1);
        Assert.Empty(Slack.RequestsTo(slackUrl));
        Assert.Empty((await DeliveriesAsync(repo.Id)).Items);
    }

    [Fact]
    public async Task Slack_test_posts_a_message_and_reports_slacks_answer()
    {
        var slackUrl = Slack.NewUrl("slack");
        var ok = await SlackTestAsync(slackUrl);
        Assert.Equal((true, 200, "ok", null), (ok.Ok, ok.StatusCode, ok.Response, ok.Error));
        var posted = Assert.Single(Slack.RequestsTo(slackUrl));
        Assert.Equal("header", Json(posted.Body).GetProperty("blocks")[0].GetProperty("type").GetString());
        Assert.Contains("test", Json(posted.Body).GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);

        Slack.Enqueue(slackUrl, Reply.Fail(404, "no_service"));
        var refused = await SlackTestAsync(slackUrl);
        Assert.Equal((false, 404, "no_service"), (refused.Ok, refused.StatusCode, refused.Response));

        var unreachable = await SlackTestAsync($"https://127.0.0.1:{FreePort.Next()}/services/x");
        Assert.Equal((false, null), (unreachable.Ok, unreachable.StatusCode));
        Assert.False(string.IsNullOrEmpty(unreachable.Error));

        var bad = await Host.Scenario(s => { s.Post.Json(new { webhookUrl = "hooks.slack.com/services/x" }).ToUrl("/api/slack/test"); s.StatusCodeShouldBe(400); });
        Assert.Contains("webhookUrl", await bad.ReadAsTextAsync());
    }

    async Task<SlackTestResult> SlackTestAsync(string webhookUrl) =>
        (await (await Host.Scenario(s => { s.Post.Json(new { webhookUrl }).ToUrl("/api/slack/test"); s.StatusCodeShouldBeOk(); }))
            .ReadAsJsonAsync<SlackTestResult>())!;

    async Task<RepoView> ConnectRepoAsync(string slackWebhookUrl)
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { url = $"https://github.com/acme/slack{Guid.NewGuid():N}", slackEnabled = true, slackWebhookUrl }).ToUrl("/api/repos");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<RepoView>())!;
    }

    static string Header(string body) => Json(body).GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!;

    static string Section(string body) => Json(body).GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString()!;
}
