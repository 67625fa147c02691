using System.Net;
using System.Text.Json;
using Alba;
using Marten;
using Optio.Tests.Infrastructure;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class TaskLifecycleTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Creating_a_task_answers_201_with_location_and_queues_it()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { title = "Add dark mode", prompt = "Add a dark theme", repoUrl = "https://github.com/Acme/WebApp.git" }).ToUrl("/api/tasks");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        var task = (await result.ReadAsJsonAsync<TaskView>())!;

        Assert.Equal($"/api/tasks/{task.Id}", result.Context.Response.Headers.Location.ToString());
        Assert.Equal(TaskState.Queued, task.State);
        Assert.Equal("manual", task.Source);
        Assert.Equal("https://github.com/acme/webapp", task.RepoUrl);
        Assert.Equal(task, await Host.GetTaskAsync(task.Id) with { });
    }

    [Fact]
    public async Task A_task_goes_from_queued_to_pr_opened_as_the_runner_reports()
    {
        var task = await Host.CreateTaskAsync(repoUrl: "https://github.com/acme/webapp");
        var claimed = await Host.ClaimUntilAsync(task.Id, "runner-a");
        Assert.Equal(TaskState.Provisioning, claimed.State);

        await Host.PostForTaskAsync($"/api/tasks/{task.Id}/heartbeat", new { runnerId = "runner-a", leaseSeconds = 600 });
        var running = await Host.StartAsync(task.Id, "runner-a");
        Assert.Equal(TaskState.Running, running.State);

        var withPr = await Host.ReportPrAsync(task.Id, "https://github.com/Acme/WebApp/pull/12");
        Assert.Equal((TaskState.PrOpened, "https://github.com/acme/webapp/pull/12"), (withPr.State, withPr.PrUrl));

        var again = await Host.ReportPrAsync(task.Id, "https://github.com/acme/webapp/pull/12");
        Assert.Equal(withPr.Version, again.Version);
    }

    [Fact]
    public async Task Fail_then_retry_requeues_and_cancel_is_final_until_retried()
    {
        var task = await Host.CreateTaskAsync();
        var failed = await Host.FailAsync(task.Id, "repo archived");
        Assert.Equal((TaskState.Failed, "repo archived"), (failed.State, failed.Reason));

        var retried = await Host.PostForTaskAsync($"/api/tasks/{task.Id}/retry");
        Assert.Equal(TaskState.Queued, retried.State);

        var cancelled = await Host.CancelAsync(task.Id, "duplicate of #3");
        Assert.Equal((TaskState.Cancelled, "duplicate of #3"), (cancelled.State, cancelled.Reason));
    }

    [Fact]
    public async Task A_refused_transition_is_409_naming_the_state_and_writes_nothing()
    {
        var task = await Host.CreateTaskAsync(repoUrl: "https://github.com/acme/webapp");
        var body = await Host.PostAsync($"/api/tasks/{task.Id}/pr", new { prUrl = "https://github.com/acme/webapp/pull/1" }, 409);

        using var problem = JsonDocument.Parse(body);
        Assert.Equal("queued", problem.RootElement.GetProperty("currentState").GetString());
        Assert.Contains("provisioning", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(["provisioning", "cancelled", "failed"],
            problem.RootElement.GetProperty("allowedTransitions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(task.Version, (await Host.GetTaskAsync(task.Id)).Version);
    }

    [Fact]
    public async Task A_stale_if_match_is_412_and_writes_nothing()
    {
        var task = await Host.CreateTaskAsync();
        await Host.FailAsync(task.Id, "first");

        await Host.PostAsync($"/api/tasks/{task.Id}/retry", null, 412, ifMatch: $"\"{task.Version}\"");

        var now = await Host.GetTaskAsync(task.Id);
        Assert.Equal(TaskState.Failed, now.State);
        await Host.PostAsync($"/api/tasks/{task.Id}/retry", null, 200, ifMatch: $"\"{now.Version}\"");
    }

    [Fact]
    public async Task A_malformed_if_match_is_400()
    {
        var task = await Host.CreateTaskAsync();
        await Host.PostAsync($"/api/tasks/{task.Id}/cancel", null, 400, ifMatch: "\"banana\"");
    }

    [Fact]
    public async Task Unknown_task_is_404_for_reads_and_commands()
    {
        var id = Guid.NewGuid();
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{id}"); s.StatusCodeShouldBe(404); });
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{id}/events"); s.StatusCodeShouldBe(404); });
        await Host.PostAsync($"/api/tasks/{id}/start", null, 404);
        await using var session = api.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(id));
    }

    [Theory]
    [InlineData("{\"title\":", "JSON")]
    [InlineData("{\"prompt\":\"no title\"}", "'title' is required")]
    [InlineData("{\"title\":\"t\"}", "'prompt' is required")]
    [InlineData("{\"title\":\"t\",\"prompt\":\"p\",\"repoUrl\":\"ftp://x/y/z\"}", "repoUrl")]
    [InlineData("{\"title\":42,\"prompt\":\"p\"}", "title")]
    public async Task Bad_create_bodies_are_400_problems_and_write_nothing(string json, string mentions)
    {
        var before = await CountStreamsAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/tasks");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains("application/problem+json", result.Context.Response.ContentType);
        Assert.Contains(mentions, await result.ReadAsTextAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await CountStreamsAsync());
    }

    [Theory]
    [InlineData("/fail", "{}", "'reason' is required")]
    [InlineData("/pr", "{\"prUrl\":\"https://github.com/acme/webapp/issues/1\"}", "not a pull request URL")]
    [InlineData("/pr", "{\"prUrl\":\"https://github.com/stranger/elsewhere/pull/1\"}", "not a connected repository")]
    [InlineData("/heartbeat", "{\"runnerId\":\"r\",\"leaseSeconds\":0}", "leaseSeconds")]
    [InlineData("/heartbeat", "{\"leaseSeconds\":30}", "'runnerId' is required")]
    public async Task Bad_command_bodies_are_400_and_write_nothing(string path, string json, string mentions)
    {
        var task = await Host.CreateTaskAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl($"/api/tasks/{task.Id}{path}");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
        Assert.Equal(task.Version, (await Host.GetTaskAsync(task.Id)).Version);
    }

    async Task<long> CountStreamsAsync()
    {
        await using var session = api.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).CountAsync();
    }
}
