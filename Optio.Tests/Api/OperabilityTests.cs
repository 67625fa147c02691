using System.Net;
using Alba;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class OperabilityTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-key")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task Api_routes_need_a_valid_bearer_key(string? authorization)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/tasks");
            s.RemoveRequestHeader("Authorization");
            if (authorization is not null) s.WithRequestHeader("Authorization", authorization);
            s.StatusCodeShouldBe(HttpStatusCode.Unauthorized);
        });
        var body = await result.ReadAsTextAsync();
        Assert.Contains("Authorization: Bearer", body);
        Assert.DoesNotContain(ApiHost.ApiKey, body);
    }

    [Fact]
    public async Task Health_endpoints_need_no_key_and_ready_checks_postgres()
    {
        await Host.Scenario(s => { s.Get.Url("/health/live"); s.RemoveRequestHeader("Authorization"); s.StatusCodeShouldBeOk(); });
        var ready = await Host.Scenario(s => { s.Get.Url("/health/ready"); s.RemoveRequestHeader("Authorization"); s.StatusCodeShouldBeOk(); });
        Assert.Equal("Healthy", await ready.ReadAsTextAsync());
    }

    [Fact]
    public async Task OpenApi_document_describes_the_task_routes()
    {
        var doc = await (await Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsTextAsync();
        foreach (var route in new[] { "/api/tasks", "/api/tasks/claim", "/api/tasks/{id}/events", "/api/tasks/{id}/heartbeat" })
            Assert.Contains($"\"{route}\"", doc);
    }

    [Fact]
    public async Task Without_a_webhook_secret_github_deliveries_are_refused_with_a_clear_error()
    {
        const string body = "{\"action\":\"closed\"}";
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl("/api/webhooks/github");
            s.RemoveRequestHeader("Authorization");
            s.WithRequestHeader("X-GitHub-Event", "pull_request");
            s.WithRequestHeader("X-GitHub-Delivery", Guid.NewGuid().ToString());
            s.WithRequestHeader("X-Hub-Signature-256", Optio.Tests.PullRequests.GitHubDeliveries.Sign("anything", body));
            s.StatusCodeShouldBe(403);
        });
        Assert.Contains("GITHUB_WEBHOOK_SECRET", await result.ReadAsTextAsync());
    }
}
