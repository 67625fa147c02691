using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Optio.Api.Core;
using Optio.Api.Core.Database;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.Tasks;

/// <summary>
/// Takes back claims whose lease ran out. Leases live in the event store, so a lease that expires
/// while the service is down is taken back on the first sweep after the restart. One node of a
/// cluster sweeps (<see cref="ClusterSchedule"/>); the stream version guards each write anyway.
/// </summary>
public sealed class LeaseExpiry(IDocumentStore store, NpgsqlDataSource database, TaskWriter writer, TimeProvider clock, IOptions<LeasesOptions> options,
    ILogger<LeaseExpiry> logger) : BackgroundService
{
    const int ScheduleLockSpace = 0x0971_0006;

    public TimeSpan Interval { get; } = options.Value.SweepInterval;

    /// <summary>One sweep; returns how many tasks lost their lease.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
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
        if (taken > 0) logger.LogInformation("Took back {Count} expired task leases", taken);
        OptioMetrics.LeasesExpired.Add(taken);
        return taken;
    }

    // At start too: a lease that ran out while the service was down is taken back at once.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ClusterSchedule.RunAsync("Taking back expired leases", Interval, ScheduleLockSpace, runAtStart: true,
            database, clock, logger, SweepAsync, stoppingToken);
}
