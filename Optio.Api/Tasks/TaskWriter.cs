using System.Diagnostics;
using JasperFx;
using Marten;
using Optio.Api.Core.Http;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

/// <summary>The outcome of running a decision against a task stream.</summary>
public abstract record WriteOutcome
{
    public sealed record Written(TaskSummary Task, int Appended) : WriteOutcome;
    public sealed record Missing(Guid Id) : WriteOutcome;
    public sealed record Refused(Refusal Refusal) : WriteOutcome;
    public sealed record Stale(long Expected, long Actual) : WriteOutcome;

    public IResult ToHttp(HttpContext http)
    {
        switch (this)
        {
            case Written w:
                http.Response.Headers.ETag = $"\"{w.Task.Version}\"";
                return Results.Ok(TaskView.From(w.Task));
            case Missing m:
                return Problems.NotFound($"Task {m.Id}");
            case Refused r:
                return Problems.Refused(r.Refusal);
            case Stale s:
                return Problems.StaleVersion(s.Expected, s.Actual);
            default:
                throw new UnreachableException();
        }
    }
}

/// <summary>
/// Load a task, decide in pure code, append: the aggregate workflow with optimistic concurrency.
/// With an expected version a concurrent change is a <see cref="WriteOutcome.Stale"/>; without one
/// the decision is re-made on the fresh state (a lost race simply decides again).
/// Two round trips: the fetch reads the stream's version and its list row together, and the save appends and
/// writes the row in one batch; the inline projection folds onto the fetched row and leaves the new one in the
/// session, so the answer costs no third read.
/// </summary>
public sealed class TaskWriter(IDocumentStore store)
{
    const int Attempts = 5;

    public async Task<WriteOutcome> DecideAsync(Guid id, long? expectedVersion, Func<OptioTask, Decision> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = OpenSession();
            var stream = await session.Events.FetchForWriting<TaskSummary>(id, ct);
            if (stream.Aggregate is not { } row) return new WriteOutcome.Missing(id);
            if (expectedVersion is { } expected && expected != stream.CurrentVersion)
                return new WriteOutcome.Stale(expected, stream.CurrentVersion ?? 0);

            var decision = decide(row.ToTask());
            if (decision.Refusal is { } refusal) return new WriteOutcome.Refused(refusal);

            if (decision.Events.Count > 0)
            {
                stream.AppendMany(decision.Events);
                try
                {
                    await session.SaveChangesAsync(ct);
                }
                catch (ConcurrencyException) when (expectedVersion is null && attempt < Attempts)
                {
                    continue;
                }
                catch (ConcurrencyException)
                {
                    return new WriteOutcome.Stale(expectedVersion ?? stream.CurrentVersion ?? 0, await CurrentVersionAsync(id, ct));
                }
            }
            if (decision.Events.Count == 0) return new WriteOutcome.Written(row, 0);
            // Served from the session's identity map (Marten's UseIdentityMapForAggregates, on by default): no round trip.
            var written = await session.Events.FetchLatest<TaskSummary>(id, ct)
                ?? throw new InvalidOperationException($"Task {id} has events but no list row.");
            return new WriteOutcome.Written(written, decision.Events.Count);
        }
    }

    async Task<long> CurrentVersionAsync(Guid id, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        return (await query.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0;
    }

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        if (Activity.Current is { } activity)
            session.CorrelationId = activity.TraceId.ToString();
        return session;
    }
}
