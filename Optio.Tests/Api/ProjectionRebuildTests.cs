using Alba;
using Marten;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class ProjectionRebuildTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task The_task_list_is_rebuilt_from_events_alone()
    {
        var task = await Host.CreateTaskAsync("rebuild me");
        await Host.FailAsync(task.Id, "kept after rebuild");
        var before = await Host.GetTaskAsync(task.Id);
        var rowBefore = await RowAsync(task.Id);

        await using (var session = api.Store.LightweightSession())
        {
            session.DeleteWhere<TaskSummary>(x => true);
            await session.SaveChangesAsync();
        }
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{task.Id}"); s.StatusCodeShouldBe(404); });

        using var daemon = await api.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<TaskSummary>(CancellationToken.None);

        var after = await Host.GetTaskAsync(task.Id);
        Assert.Equal(before, after);
        Assert.Equal(rowBefore, await RowAsync(task.Id));
        Assert.Equal((TaskState.Failed, "kept after rebuild"), (after.State, after.Reason));
    }

    /// <summary>The stored row, every field of it.</summary>
    async Task<string> RowAsync(Guid id)
    {
        await using var query = api.Store.QuerySession();
        return System.Text.Json.JsonSerializer.Serialize(await query.LoadAsync<TaskSummary>(id));
    }
}
