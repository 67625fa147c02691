using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Tickets.Providers;
using Optio.Projections.SyncRuns;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Sync;

public sealed record SyncRunPage(IReadOnlyList<SyncRun> Items, int Page, int PageSize, bool HasMore);

public static class SyncRunsEndpoint
{
    public const int MaxPageSize = 200;

    /// <summary><c>GET /api/tickets/providers/{id}/runs</c>: the provider's sync runs, newest first, paged.</summary>
    [ApiResponses(200, 400, 404)]
    [WolverineGet("/api/tickets/providers/{id}/runs")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, int? page, int? pageSize)
    {
        var number = page ?? 1;
        var size = pageSize ?? 50;
        if (number < 1) return Problems.BadRequest("'page' starts at 1.");
        if (size is < 1 or > MaxPageSize) return Problems.BadRequest($"'pageSize' must be between 1 and {MaxPageSize}.");
        if (await session.LoadAsync<TicketProvider>(id, http.RequestAborted) is null) return Problems.NotFound($"Ticket provider {id}");

        // One row more than the page says whether another page follows, without counting every run.
        var rows = await session.Query<SyncRun>().Where(x => x.ProviderId == id)
            .OrderByDescending(x => x.StartedAt).ThenByDescending(x => x.Id)
            .Skip((number - 1) * size).Take(size + 1).ToListAsync(http.RequestAborted);
        return Results.Ok(new SyncRunPage(rows.Take(size).ToList(), number, size, rows.Count > size));
    }
}
