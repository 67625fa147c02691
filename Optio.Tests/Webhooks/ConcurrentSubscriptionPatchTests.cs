using System.Text.Json;
using Alba;
using Optio.Tests.Api;
using Optio.Tests.Fakes;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Webhooks;

/// <summary>
/// PATCHes of one subscription racing: a secret a 200 shows is one that signs. A rotation keeps the secret it replaces
/// signing (Standard Webhooks header only) for a day, so after a run of rotations the newest secret signs both
/// headers and the one before it still signs the Standard Webhooks header.
/// </summary>
[Collection(WebhooksCollection.Name)]
public class ConcurrentSubscriptionPatchTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task Twenty_rotations_at_once_each_answer_a_secret_in_force_or_409()
    {
        var url = Receiver.NewUrl();
        var created = await QuietSubscriptionAsync(url);
        var beforeRotations = await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBeOk(); });

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Host.Scenario(s =>
        {
            s.Patch.Json(new { rotateSecret = true }).ToUrl($"/api/webhooks/{created.Id}");
            s.IgnoreStatusCode();
        })));

        var statuses = answers.Select(a => a.Context.Response.StatusCode).ToList();
        Assert.All(statuses, status => Assert.Contains(status, new[] { 200, 409 }));
        foreach (var refused in answers.Where(a => a.Context.Response.StatusCode == 409))
            Assert.Contains("rotated", JsonDocument.Parse(await refused.ReadAsTextAsync()).RootElement.GetProperty("detail").GetString());

        var rotations = new List<(string Secret, IScenarioResult Answer)>();
        foreach (var answer in answers.Where(a => a.Context.Response.StatusCode == 200))
            rotations.Add(((await answer.ReadAsJsonAsync<WebhookSubscriptionView>())!.Secret!, answer));
        Assert.NotEmpty(rotations);
        Assert.Equal(rotations.Count, rotations.Select(r => r.Secret).Distinct().Count());
        var afterRotations = await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBeOk(); });

        // The newest rotation's secret signs both headers; the secret it replaced, shown in another 200 (or the first
        // secret, when only one rotation landed), still signs the Standard Webhooks header during the rotation.
        var ping = await PingAsync(created.Id, url);
        var newest = Assert.Single(rotations, r => SubscriberVerification.GitHubStyle(r.Secret, ping));
        Assert.True(SubscriberVerification.StandardWebhooks(newest.Secret, ping));
        if (rotations.Count == 1) Assert.True(SubscriberVerification.StandardWebhooks(created.Secret!, ping));
        else Assert.Single(rotations, r => r != newest && SubscriberVerification.StandardWebhooks(r.Secret, ping));

        // Every 200 is a rotation that landed, each on top of the one before: their ETags are the last n versions,
        // the newest one's the highest, and nothing else was written.
        var (start, last) = (ConcurrentPatchTests.ETagOf(beforeRotations), ConcurrentPatchTests.ETagOf(afterRotations));
        var versions = rotations.Select(r => ConcurrentPatchTests.ETagOf(r.Answer)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, rotations.Count).Select(i => start + i), versions);
        Assert.Equal(start + rotations.Count, last);
        Assert.Equal(last, ConcurrentPatchTests.ETagOf(newest.Answer));
    }

    [Fact]
    public async Task A_rotation_with_a_stale_If_Match_is_412_and_the_old_secret_keeps_signing()
    {
        var url = Receiver.NewUrl();
        var created = await QuietSubscriptionAsync(url);
        var seen = await VersionAsync(created.Id);
        await PatchAsync(created.Id, new { events = new[] { "task.completed" } });

        var stale = await Host.Scenario(s =>
        {
            s.Patch.Json(new { rotateSecret = true }).ToUrl($"/api/webhooks/{created.Id}");
            s.WithRequestHeader("If-Match", $"\"{seen}\"");
            s.StatusCodeShouldBe(412);
        });
        var problem = JsonDocument.Parse(await stale.ReadAsTextAsync()).RootElement;
        Assert.Equal(seen + 1, problem.GetProperty("currentVersion").GetInt64());
        Assert.DoesNotContain("whsec_", await stale.ReadAsTextAsync());

        Assert.Equal(seen + 1, await VersionAsync(created.Id));
        Assert.False((await GetSubscriptionAsync(created.Id)).RotatingSecret);

        var current = await Host.Scenario(s =>
        {
            s.Patch.Json(new { rotateSecret = true }).ToUrl($"/api/webhooks/{created.Id}");
            s.WithRequestHeader("If-Match", $"\"{seen + 1}\"");
            s.StatusCodeShouldBeOk();
        });
        Assert.Equal(seen + 2, ConcurrentPatchTests.ETagOf(current));
        var ping = await PingAsync(created.Id, url);
        Assert.False(SubscriberVerification.GitHubStyle(created.Secret!, ping), "only the rotation with the current If-Match landed");
        Assert.True(SubscriberVerification.GitHubStyle((await current.ReadAsJsonAsync<WebhookSubscriptionView>())!.Secret!, ping));
    }

    [Fact]
    public async Task Changes_racing_a_rotation_are_all_kept_and_the_rotation_is_in_force()
    {
        var url = Receiver.NewUrl();
        var created = await QuietSubscriptionAsync(url);
        var start = await VersionAsync(created.Id);
        var moved = Receiver.NewUrl();

        var rotation = Host.Scenario(s => { s.Patch.Json(new { rotateSecret = true }).ToUrl($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBeOk(); });
        var others = new[]
        {
            Host.Scenario(s => { s.Patch.Json(new { events = new[] { "task.failed" } }).ToUrl($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBeOk(); }),
            Host.Scenario(s => { s.Patch.Json(new { url = moved }).ToUrl($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBeOk(); }),
        };
        var secret = (await (await rotation).ReadAsJsonAsync<WebhookSubscriptionView>())!.Secret!;
        await Task.WhenAll(others);

        var now = await GetSubscriptionAsync(created.Id);
        Assert.Equal(["task.failed"], now.Events);
        Assert.Equal((moved, true), (now.Url, now.RotatingSecret));
        Assert.Equal(start + 3, await VersionAsync(created.Id));
        var ping = await PingAsync(created.Id, moved);
        Assert.True(SubscriberVerification.GitHubStyle(secret, ping));
    }

    /// <summary>
    /// A subscription disabled at once, so no delivery (of an event another test caused) writes its health while versions
    /// are counted; a test ping still goes to a disabled subscription.
    /// </summary>
    async Task<WebhookSubscriptionView> QuietSubscriptionAsync(string url)
    {
        var created = await SubscribeAsync(url, ["task.completed"]);
        await PatchAsync(created.Id, new { enabled = false });
        return created;
    }

    async Task<long> VersionAsync(Guid id) =>
        ConcurrentPatchTests.ETagOf(await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{id}"); s.StatusCodeShouldBeOk(); }));

    /// <summary>Sends the subscription's test ping and returns the request the receiver got.</summary>
    async Task<ReceivedRequest> PingAsync(Guid id, string url)
    {
        await Host.Scenario(s => { s.Post.Url($"/api/webhooks/{id}/test"); s.StatusCodeShouldBeOk(); });
        return Receiver.RequestsTo(url).Last();
    }
}
