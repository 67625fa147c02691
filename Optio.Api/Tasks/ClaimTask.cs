using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tasks;

/// <param name="Order">"oldest" (the default): the task queued longest; "priority": urgent first, then high, medium, low,
/// none, the oldest first within a priority.</param>
public sealed record ClaimTask(string? RunnerId, int? LeaseSeconds, string? Order = null);

/// <summary>
/// <c>POST /api/tasks/claim</c>: the next queued task that no unfinished ticket blocks moves to provisioning for this runner. Runners race on the stream
/// version: a claim that loses simply tries the next candidate, so two runners never get the same task. A round where
/// every candidate was lost means others claimed them, so the queue moved on: the next round reads it again.
/// </summary>
public static class ClaimTaskEndpoint
{
    public const string Oldest = "oldest";
    public const string ByPriority = "priority";
    const int Candidates = 10;
    const int Rounds = 50;

    [ApiResponses(200, 204, 400)]
    [ApiExample(typeof(ClaimTaskExample))]
    [WolverinePost("/api/tasks/claim")]
    public static async Task<IResult> Post(ClaimTask command, IDocumentStore store, TaskWriter writer, TimeProvider clock, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(command.RunnerId))
            return Problems.BadRequest("'runnerId' is required: a name for the runner taking the task.");
        if (!Lease.TryRead(command.LeaseSeconds, out var lease, out var error))
            return Problems.BadRequest(error!);
        if (command.Order is not (null or Oldest or ByPriority))
            return Problems.BadRequest($"'order' must be '{Oldest}' (the default: the task queued longest) or '{ByPriority}' (urgent first, then by age); got '{command.Order}'.");

        var ct = http.RequestAborted;
        for (var round = 0; round < Rounds; round++)
        {
            IReadOnlyList<Guid> queued;
            await using (var query = store.QuerySession())
                queued = await NextCandidates(query, command.Order == ByPriority).ToListAsync(ct);
            if (queued.Count == 0) return Results.NoContent();

            foreach (var id in queued)
            {
                var outcome = await writer.DecideAsync(id, null, t => t.Claim(command.RunnerId, lease, clock.GetUtcNow()), ct);
                if (outcome is WriteOutcome.Written { Appended: > 0 }) return outcome.ToHttp(http);
            }
        }
        return Results.NoContent();
    }

    static IQueryable<Guid> NextCandidates(IQuerySession query, bool byPriority)
    {
        var queued = query.Query<TaskSummary>().Where(x => x.State == TaskState.Queued && x.Blocked == false);
        var ordered = byPriority
            ? queued.OrderBy(x => x.ClaimRank).ThenBy(x => x.QueuedAt).ThenBy(x => x.Id)
            : queued.OrderBy(x => x.QueuedAt).ThenBy(x => x.Id);
        return ordered.Select(x => x.Id).Take(Candidates);
    }
}
