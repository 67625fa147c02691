using System.Text.Json;
using Alba;
using Optio.Tests.Infrastructure;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class TaskReadingTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task List_filters_by_state_source_and_repo_newest_first_with_paging()
    {
        var repo = $"https://github.com/acme/list-{Guid.NewGuid():N}";
        var first = await Host.CreateTaskAsync("first", repo);
        var second = await Host.CreateTaskAsync("second", repo + ".git");
        var third = await Host.CreateTaskAsync("third", repo);
        await Host.CancelAsync(second.Id);

        var all = (await Host.GetAsJson<TaskPage>($"/api/tasks?repo={Uri.EscapeDataString(repo.ToUpperInvariant())}"))!;
        Assert.Equal([third.Id, second.Id, first.Id], all.Items.Select(t => t.Id));
        Assert.False(all.HasMore);

        var queued = (await Host.GetAsJson<TaskPage>($"/api/tasks?repo={repo}&state=queued&source=manual"))!;
        Assert.Equal([third.Id, first.Id], queued.Items.Select(t => t.Id));

        var page2 = (await Host.GetAsJson<TaskPage>($"/api/tasks?repo={repo}&page=2&pageSize=2"))!;
        Assert.Equal([first.Id], page2.Items.Select(t => t.Id));
        Assert.Equal((2, 2, false), (page2.Page, page2.PageSize, page2.HasMore));
        Assert.True((await Host.GetAsJson<TaskPage>($"/api/tasks?repo={repo}&page=1&limit=2"))!.HasMore);

        var none = (await Host.GetAsJson<TaskPage>($"/api/tasks?repo={repo}&source=linear"))!;
        Assert.Empty(none.Items);
    }

    [Theory]
    [InlineData("state=bogus", "'state' must be one of")]
    [InlineData("source=jira", "'source' must be one of")]
    [InlineData("pageSize=1000", "'pageSize'")]
    [InlineData("page=0", "'page'")]
    [InlineData("page=abc", "page")]
    [InlineData("repo=nope", "'repo'")]
    public async Task Bad_list_queries_are_400(string query, string mentions)
    {
        var result = await Host.Scenario(s => { s.Get.Url($"/api/tasks?{query}"); s.StatusCodeShouldBe(400); });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task Events_show_the_history_in_order_with_metadata()
    {
        var task = await Host.CreateTaskAsync();
        await Host.FailAsync(task.Id, "flaky");

        var json = await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{task.Id}/events"))).ReadAsTextAsync();
        using var doc = JsonDocument.Parse(json);
        var events = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["task_created", "task_queued", "task_failed"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.Equal("flaky", events[2].GetProperty("data").GetProperty("reason").GetString());
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("correlationId").GetString())));
        Assert.All(events, e => Assert.True(e.GetProperty("timestamp").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task A_task_can_be_read_as_it_was_at_a_version_or_a_time()
    {
        var task = await Host.CreateTaskAsync();
        await Host.CancelAsync(task.Id, "changed my mind");
        // The moment version 2 was stored, as the database stamped it: the cancellation came after it.
        var between = (await EventsOfAsync(task.Id))[1].GetProperty("timestamp").GetDateTimeOffset();

        var atVersion2 = (await Host.GetAsJson<TaskView>($"/api/tasks/{task.Id}?version=2"))!;
        Assert.Equal((TaskState.Queued, 2L), (atVersion2.State, atVersion2.Version));

        var atTime = (await Host.GetAsJson<TaskView>($"/api/tasks/{task.Id}?at={Uri.EscapeDataString(between.ToString("O"))}"))!;
        Assert.Equal(TaskState.Queued, atTime.State);

        var now = await Host.GetTaskAsync(task.Id);
        Assert.Equal((TaskState.Cancelled, 3L), (now.State, now.Version));

        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/tasks/{task.Id}?at={Uri.EscapeDataString(between.AddHours(-1).ToString("O"))}");
            s.StatusCodeShouldBe(404);
        });
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{task.Id}?at=yesterday"); s.StatusCodeShouldBe(400); });
    }

    [Fact]
    public async Task A_version_the_task_has_not_reached_is_a_404_naming_the_current_version()
    {
        var task = await Host.CreateTaskAsync();
        await Host.CancelAsync(task.Id, "not now");

        var problem = await ProblemAsync($"/api/tasks/{task.Id}?version=9");
        Assert.Equal($"Task {task.Id} has 3 versions; version 9 does not exist yet.", problem.GetProperty("detail").GetString());
        Assert.Equal(3, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(TaskState.Cancelled, (await Host.GetAsJson<TaskView>($"/api/tasks/{task.Id}?version=3"))!.State);
    }

    [Fact]
    public async Task A_moment_before_the_task_existed_is_a_404_naming_when_it_was_created()
    {
        var task = await Host.CreateTaskAsync();
        var before = task.CreatedAt.AddMinutes(-5);

        var problem = await ProblemAsync($"/api/tasks/{task.Id}?at={Uri.EscapeDataString(before.ToString("O"))}");
        Assert.Equal(task.CreatedAt, problem.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Contains($"was created at {task.CreatedAt:O}", problem.GetProperty("detail").GetString());
    }

    async Task<List<JsonElement>> EventsOfAsync(Guid id) =>
        [.. JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{id}/events"))).ReadAsTextAsync()).RootElement.EnumerateArray()];

    async Task<JsonElement> ProblemAsync(string url)
    {
        var result = await Host.Scenario(s => { s.Get.Url(url); s.StatusCodeShouldBe(404); });
        Assert.Equal("application/problem+json", result.Context.Response.ContentType);
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
    }

    [Fact]
    public async Task The_list_agrees_with_the_events_right_after_a_write()
    {
        var task = await Host.CreateTaskAsync();
        var failed = await Host.FailAsync(task.Id, "x");
        var listed = (await Host.GetAsJson<TaskPage>($"/api/tasks?state=failed&pageSize=200"))!;
        Assert.Contains(listed.Items, t => t.Id == task.Id && t.Version == failed.Version);
    }
}
