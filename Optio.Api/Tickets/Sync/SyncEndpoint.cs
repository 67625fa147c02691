using Wolverine.Http;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Sync;

public sealed record SyncRequested(DateTimeOffset RequestedAt, IReadOnlyList<SyncRequestedProvider> Providers);

/// <summary>Poll <see cref="StatusUrl"/> until its <c>status.lastSyncFinishedAt</c> is after <c>requestedAt</c>.</summary>
public sealed record SyncRequestedProvider(Guid Id, string Source, string StatusUrl);

public static class SyncEndpoint
{
    /// <summary><c>POST /api/tickets/sync</c>: queue a sync of every enabled provider and answer at once (202).</summary>
    [ApiResponses(202)]
    [WolverinePost("/api/tickets/sync")]
    public static async Task<IResult> Post(SyncSchedule schedule, TimeProvider clock, HttpContext http)
    {
        var requestedAt = clock.GetUtcNow();
        var providers = await schedule.QueueAllAsync("requested", http.RequestAborted);
        return Results.Accepted("/api/tickets/providers", new SyncRequested(requestedAt,
            providers.Select(p => new SyncRequestedProvider(p.Id, p.Source, $"/api/tickets/providers/{p.Id}")).ToList()));
    }
}
