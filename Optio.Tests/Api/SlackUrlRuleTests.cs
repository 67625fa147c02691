using System.Text.Json;
using Alba;
using Microsoft.Extensions.Time.Testing;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Slack;
using Optio.Api.Repos;

namespace Optio.Tests.Api;

/// <summary>A Slack URL is judged by one rule wherever it is given: a repo's <c>slackWebhookUrl</c> and <c>POST /api/slack/test</c>.</summary>
[Collection(TasksCollection.Name)]
public class SlackUrlRuleTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Theory]
    [InlineData("http://hooks.slack.com/services/T/B/secret")] // plain http to the internet
    [InlineData("http://localhost:9/services/T/B/secret")] // loopback, but this host's SSRF guard does not allow it
    [InlineData("http://127.0.0.1:9/services/T/B/secret")]
    [InlineData("hooks.slack.com/services/T/B/secret")] // not a URL
    public async Task Both_routes_refuse_the_same_bad_url_with_the_same_400(string url)
    {
        var repo = await ConnectRepoAsync(Host);
        try
        {
            var patch = await ProblemAsync(Host, s => s.Patch.Json(new { slackEnabled = true, slackWebhookUrl = url }).ToUrl($"/api/repos/{repo.Id}"));
            var test = await ProblemAsync(Host, s => s.Post.Json(new { webhookUrl = url }).ToUrl("/api/slack/test"));

            Assert.StartsWith("'slackWebhookUrl' must be", patch);
            Assert.Equal(patch.Replace("'slackWebhookUrl'", "'webhookUrl'"), test);
            Assert.DoesNotContain("secret", patch); // the URL is a credential: not repeated back
            Assert.False((await Host.GetAsJson<RepoView>($"/api/repos/{repo.Id}"))!.SlackEnabled);
        }
        finally
        {
            // The collection's other tests read every connected repo's issues (from github.com): leave none behind.
            await Host.Scenario(s => { s.Delete.Url($"/api/repos/{repo.Id}"); s.StatusCodeShouldBe(204); });
        }
    }

    [Fact]
    public async Task Plain_http_to_loopback_is_accepted_by_both_routes_where_the_ssrf_guard_allows_loopback()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await ApiHost.StartHostAsync(await TestPostgres.NewDatabaseAsync("optio_slack_rule"),
            new FakeTimeProvider(DateTimeOffset.UtcNow), settings: new Dictionary<string, string> { ["Optio:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8" });
        var url = receiver.NewUrl("slack");
        Assert.StartsWith("http://127.0.0.1:", url);

        var repo = await ConnectRepoAsync(host);
        await host.Scenario(s => { s.Patch.Json(new { slackEnabled = true, slackWebhookUrl = url }).ToUrl($"/api/repos/{repo.Id}"); s.StatusCodeShouldBeOk(); });
        var result = (await (await host.Scenario(s => { s.Post.Json(new { webhookUrl = url }).ToUrl("/api/slack/test"); s.StatusCodeShouldBeOk(); }))
            .ReadAsJsonAsync<SlackTestResult>())!;

        Assert.Equal((true, 200), (result.Ok, result.StatusCode));
        Assert.Single(receiver.RequestsTo(url));
        await ProblemAsync(host, s => s.Post.Json(new { webhookUrl = "http://hooks.slack.com/services/T/B/X" }).ToUrl("/api/slack/test"));
    }

    static async Task<RepoView> ConnectRepoAsync(IAlbaHost host)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { url = $"https://github.com/acme/slackrule{Guid.NewGuid():N}" }).ToUrl("/api/repos");
            s.StatusCodeShouldBe(201);
        });
        return (await result.ReadAsJsonAsync<RepoView>())!;
    }

    /// <summary>Sends the request, expects a 400 problem, and returns its detail.</summary>
    static async Task<string> ProblemAsync(IAlbaHost host, Action<Scenario> request)
    {
        var result = await host.Scenario(s => { request(s); s.StatusCodeShouldBe(400); });
        Assert.Equal("application/problem+json", result.Context.Response.ContentType);
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("detail").GetString()!;
    }
}
