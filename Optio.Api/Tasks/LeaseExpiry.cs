using Marten;
using Microsoft.Extensions.Options;
using Optio.Api.Core;
using Optio.Api.Core.Audit;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

/// <summary>
/// Takes back claims whose lease ran out. Leases live in the event store, so a lease that expires
/// while the service is down is taken back on the first sweep after the restart, which comes as soon as the agent
/// starts. One node of a cluster sweeps (<see cref="PeriodicAgent"/>); the stream version guards each write anyway.
/// </summary>
public sealed class LeaseExpiry(IDocumentStore store, TaskWriter writer, TimeProvider clock, IOptions<LeasesOptions> options,
    ILogger<LeaseExpiry> logger) : PeriodicAgent("optio-lease-sweep", options.Value.SweepInterval, runAtStart: true, clock, logger)
{
    /// <summary>One sweep; returns how many tasks lost their lease.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        using var actor = Actors.ActAs(Actor.LeaseSweep(now));
        IReadOnlyList<Guid> expired;
        await using (var query = store.QuerySession())
        {
            expired = await query.Query<TaskSummary>()
                .Where(x => x.LeaseExpiresAt != null && x.LeaseExpiresAt <= now)
                .Where(x => x.State == TaskState.Provisioning || x.State == TaskState.Running)
                .Select(x => x.Id)
                .Take(500)
                .ToListAsync(ct);
        }
        var taken = 0;
        foreach (var id in expired)
        {
            var outcome = await writer.DecideAsync(id, null, t => t.ExpireLease(now), ct);
            if (outcome is WriteOutcome.Written { Appended: > 0 }) taken++;
        }
        if (taken > 0) Logger.LogInformation("Took back {Count} expired task leases", taken);
        OptioMetrics.LeasesExpired.Add(taken);
        return taken;
    }

    protected override Task RunOnceAsync(CancellationToken ct) => SweepAsync(ct);
}
