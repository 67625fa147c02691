using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http.OpenApi;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

/// <summary>How many tasks are in each state now (every state named, zeros included), and in all.</summary>
public sealed record TaskStatsView(IReadOnlyDictionary<string, long> ByState, long Total);

public static class TaskStatsEndpoint
{
    /// <summary><c>GET /api/tasks/stats</c>: one count per state from the task list, in one round trip.</summary>
    [ApiResponses(200)]
    [WolverineGet("/api/tasks/stats")]
    public static async Task<TaskStatsView> Get(IQuerySession session, HttpContext http)
    {
        var batch = session.CreateBatchQuery();
        var counts = Enum.GetValues<TaskState>().Select(state => (state, count: batch.Query<TaskSummary>().Where(x => x.State == state).Count())).ToList();
        await batch.Execute(http.RequestAborted);
        var byState = new Dictionary<string, long>();
        foreach (var (state, count) in counts) byState[state.WireName()] = await count;
        return new TaskStatsView(byState, byState.Values.Sum());
    }
}
