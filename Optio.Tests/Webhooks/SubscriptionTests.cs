using System.Text.Json;
using Alba;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Webhooks;

[Collection(WebhooksCollection.Name)]
public class SubscriptionTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task A_subscription_without_a_secret_gets_a_generated_whsec_secret_shown_once()
    {
        var url = Receiver.NewUrl();
        var created = await SubscribeAsync(url, ["task.completed", "task.failed"]);

        Assert.StartsWith("whsec_", created.Secret);
        Assert.Equal(24, Convert.FromBase64String(created.Secret!["whsec_".Length..]).Length);
        Assert.Equal((url, true), (created.Url, created.Enabled));
        Assert.Equal(["task.completed", "task.failed"], created.Events);

        var one = await Host.Scenario(s => s.Get.Url($"/api/webhooks/{created.Id}"));
        var list = await Host.Scenario(s => s.Get.Url("/api/webhooks"));
        foreach (var text in new[] { await one.ReadAsTextAsync(), await list.ReadAsTextAsync() })
        {
            Assert.DoesNotContain(created.Secret!, text);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Contains(created.Id, JsonDocument.Parse(await list.ReadAsTextAsync()).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_given_secret_is_kept_and_never_echoed()
    {
        var created = await SubscribeAsync(Receiver.NewUrl(), ["*"], secret: "my-own-long-secret-123");
        Assert.Null(created.Secret);

        await using var session = Api.Store.QuerySession();
        var stored = await session.LoadAsync<WebhookSubscription>(created.Id);
        Assert.DoesNotContain("my-own-long-secret-123", System.Text.Encoding.UTF8.GetString(stored!.SealedSecret));
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"/relative/hook","events":["*"]}""", "url")]
    [InlineData("""{"url":"https://user:pass@example.com/hook","events":["*"]}""", "credentials")]
    [InlineData("""{"events":["*"]}""", "url")]
    [InlineData("""{"url":"https://example.com/hook","events":["task.exploded"]}""", "'task.exploded'")]
    [InlineData("""{"url":"https://example.com/hook","events":[]}""", "events")]
    [InlineData("""{"url":"https://example.com/hook"}""", "events")]
    [InlineData("""{"url":"https://example.com/hook","events":["*"],"secret":"short"}""", "secret")]
    [InlineData("""{"url":"https://example.com/hook","events":["*"],"secret":"whsec_not*base64*at*all!"}""", "secret")]
    public async Task Bad_subscriptions_are_400_naming_the_field_and_write_nothing(string json, string mentions)
    {
        var before = await CountAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/webhooks");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains("application/problem+json", result.Context.Response.ContentType);
        Assert.Contains(mentions, await result.ReadAsTextAsync());
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Patch_changes_url_events_and_enabled_and_validates_like_create()
    {
        var created = await SubscribeAsync(Receiver.NewUrl(), ["task.completed"]);
        var newUrl = Receiver.NewUrl();

        var patched = await PatchAsync(created.Id, new { url = newUrl, events = new[] { "task.failed", "task.cancelled" } });
        Assert.Equal((newUrl, true), (patched.Url, patched.Enabled));
        Assert.Equal(["task.failed", "task.cancelled"], patched.Events);
        Assert.Null(patched.Secret);

        var disabled = await PatchAsync(created.Id, new { enabled = false });
        Assert.Equal((false, "disabled by request"), (disabled.Enabled, disabled.DisabledReason));
        var enabled = await PatchAsync(created.Id, new { enabled = true });
        Assert.Equal((true, null), (enabled.Enabled, enabled.DisabledReason));

        foreach (var (body, mentions) in new (object, string)[]
                 {
                     (new { url = "https://u:p@example.com/" }, "credentials"),
                     (new { url = "gopher://example.com/" }, "url"),
                     (new { events = new[] { "task.nope" } }, "task.nope"),
                 })
        {
            var result = await Host.Scenario(s => { s.Patch.Json(body).ToUrl($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBe(400); });
            Assert.Contains(mentions, await result.ReadAsTextAsync());
        }
        Assert.Equal(newUrl, (await GetSubscriptionAsync(created.Id)).Url);
    }

    [Fact]
    public async Task Rotating_generates_a_new_secret_shown_once_and_marks_the_rotation()
    {
        var created = await SubscribeAsync(Receiver.NewUrl());
        var rotated = await PatchAsync(created.Id, new { rotateSecret = true });

        Assert.StartsWith("whsec_", rotated.Secret);
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.True(rotated.RotatingSecret);
        var again = await GetSubscriptionAsync(created.Id);
        Assert.Null(again.Secret);
        Assert.True(again.RotatingSecret);
    }

    [Fact]
    public async Task Rotating_to_a_secret_of_ones_own_keeps_it_unechoed_and_rotating_false_with_a_secret_is_400()
    {
        var created = await SubscribeAsync(Receiver.NewUrl());
        var rotated = await PatchAsync(created.Id, new { secret = "a-brand-new-secret-of-mine" });
        Assert.Null(rotated.Secret);
        Assert.True(rotated.RotatingSecret);

        var result = await Host.Scenario(s =>
        {
            s.Patch.Json(new { secret = "another-brand-new-secret", rotateSecret = false }).ToUrl($"/api/webhooks/{created.Id}");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains("rotateSecret", await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task Delete_removes_the_subscription_and_unknown_ids_are_404()
    {
        var created = await SubscribeAsync(Receiver.NewUrl());
        await Host.Scenario(s => { s.Delete.Url($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBe(204); });
        await Host.Scenario(s => { s.Get.Url($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBe(404); });
        await Host.Scenario(s => { s.Delete.Url($"/api/webhooks/{created.Id}"); s.StatusCodeShouldBe(404); });
        await Host.Scenario(s => { s.Patch.Json(new { enabled = false }).ToUrl($"/api/webhooks/{Guid.NewGuid()}"); s.StatusCodeShouldBe(404); });
    }

    [Fact]
    public async Task Subscriptions_need_the_api_key()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/webhooks");
            s.ConfigureHttpContext(c => c.Request.Headers.Authorization = "Bearer wrong");
            s.StatusCodeShouldBe(401);
        });
        Assert.Contains("API key", await result.ReadAsTextAsync());
    }

    async Task<int> CountAsync()
    {
        await using var session = Api.Store.QuerySession();
        return await Marten.QueryableExtensions.CountAsync(session.Query<WebhookSubscription>());
    }
}
