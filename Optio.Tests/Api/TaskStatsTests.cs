using Alba;
using Optio.Tests.Infrastructure;
using Optio.Api.Tasks;

namespace Optio.Tests.Api;

/// <summary><c>GET /api/tasks/stats</c>: how many tasks are in each state, for the console's overview.</summary>
[Collection(TasksCollection.Name)]
public class TaskStatsTests(ApiHost api)
{
    [Fact]
    public async Task Counts_name_every_state_and_follow_tasks_as_they_move()
    {
        var before = (await api.Host.GetAsJson<TaskStatsView>("/api/tasks/stats"))!;
        Assert.Equal(["queued", "provisioning", "running", "pr_opened", "needs_attention", "completed", "failed", "cancelled"], before.ByState.Keys);

        var task = await api.Host.CreateTaskAsync("Counted");
        await api.Host.Scenario(s => { s.Post.Json(new { reason = "not needed" }).ToUrl($"/api/tasks/{task.Id}/cancel"); s.StatusCodeShouldBeOk(); });
        await api.Host.CreateTaskAsync("Counted too");

        var after = (await api.Host.GetAsJson<TaskStatsView>("/api/tasks/stats"))!;
        Assert.Equal(before.Total + 2, after.Total);
        Assert.Equal(after.ByState.Values.Sum(), after.Total);
        Assert.True(after.ByState["cancelled"] >= before.ByState["cancelled"] + 1);
    }
}
