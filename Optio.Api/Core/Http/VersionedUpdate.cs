using JasperFx;
using Marten;

namespace Optio.Api.Core.Http;

/// <summary>
/// A PATCH of one document Marten keeps a revision of (<see cref="IRevisioned"/>): load, change, save only if nobody
/// saved in between. With <c>If-Match</c> a stale version is a 412 and nothing is written. Without it, a save that lost
/// the race is re-applied to a fresh copy (a few times), so the 200 always shows what is in force.
/// </summary>
public static class VersionedUpdate
{
    public const int MaxAttempts = 10;

    /// <param name="what">Names the document in problems: "Repo 0190…".</param>
    /// <param name="change">Applies the request to a freshly loaded copy (again on each retry); a result refuses it and nothing is written.</param>
    /// <param name="answer">The 200 for the saved copy.</param>
    public static async Task<IResult> ApplyAsync<T>(IDocumentStore store, Guid id, string what, HttpContext http,
        Func<T, Task<IResult?>> change, Func<T, IQuerySession, Task<IResult>> answer) where T : class, IRevisioned
    {
        if (!IfMatch.TryRead(http.Request, what, lowest: 0, out var expected, out var error)) return Problems.BadRequest(error!);
        var ct = http.RequestAborted;
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            if (await session.LoadAsync<T>(id, ct) is not { } document) return Problems.NotFound(what);
            var loaded = document.Version;
            if (expected is { } version && version != loaded) return Problems.StaleVersion(version, loaded, what);
            if (await change(document) is { } refused) return refused;

            session.UpdateRevision(document, loaded + 1);
            try
            {
                await session.SaveChangesAsync(ct);
            }
            catch (Exception e) when (IsConflict(e))
            {
                if (expected is { } stale) return Problems.StaleVersion(stale, await CurrentVersionAsync<T>(store, id, ct), what);
                if (attempt < MaxAttempts) continue;
                return Problems.Result(409, "Concurrent changes",
                    $"{what} was changed by other requests {MaxAttempts} times while this change was being saved; nothing was written. Send it again.");
            }
            document.Version = loaded + 1;
            http.Response.Headers.ETag = IfMatch.ETag(document.Version);
            return await answer(document, session);
        }
    }

    static bool IsConflict(Exception e) =>
        e is ConcurrencyException || e is AggregateException { InnerExceptions.Count: > 0 } all && all.InnerExceptions.All(IsConflict);

    static async Task<long> CurrentVersionAsync<T>(IDocumentStore store, Guid id, CancellationToken ct) where T : class, IRevisioned
    {
        await using var query = store.QuerySession();
        return (await query.LoadAsync<T>(id, ct))?.Version ?? 0;
    }
}
