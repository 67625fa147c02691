using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

public sealed record ClaimTask(string? RunnerId, int? LeaseSeconds);

/// <summary>
/// <c>POST /api/tasks/claim</c>: the oldest queued task moves to provisioning for this runner.
/// Runners race on the stream version: a claim that loses simply tries the next candidate, so
/// two runners never get the same task.
/// </summary>
public static class ClaimTaskEndpoint
{
    const int Candidates = 10;

    [WolverinePost("/api/tasks/claim")]
    public static async Task<IResult> Post(ClaimTask command, IDocumentStore store, TaskWriter writer, TimeProvider clock, HttpContext http)
    {
        if (string.IsNullOrWhiteSpace(command.RunnerId))
            return Problems.BadRequest("'runnerId' is required: a name for the runner taking the task.");
        if (!Lease.TryRead(command.LeaseSeconds, out var lease, out var error))
            return Problems.BadRequest(error!);

        var ct = http.RequestAborted;
        for (var round = 0; round < 5; round++)
        {
            IReadOnlyList<Guid> queued;
            await using (var query = store.QuerySession())
            {
                queued = await query.Query<TaskSummary>()
                    .Where(x => x.State == TaskState.Queued)
                    .OrderBy(x => x.QueuedAt).ThenBy(x => x.Id)
                    .Select(x => x.Id)
                    .Take(Candidates)
                    .ToListAsync(ct);
            }
            if (queued.Count == 0) return Results.NoContent();

            foreach (var id in queued)
            {
                var outcome = await writer.DecideAsync(id, null, t => t.Claim(command.RunnerId, lease, clock.GetUtcNow()), ct);
                if (outcome is WriteOutcome.Written { Appended: > 0 }) return outcome.ToHttp(http);
            }
        }
        return Results.NoContent();
    }
}
