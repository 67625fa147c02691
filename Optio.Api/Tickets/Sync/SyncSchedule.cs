using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;
using Optio.Api.Core;
using Optio.Api.Core.Database;
using Optio.Api.Tickets.Providers;

namespace Optio.Api.Tickets.Sync;

/// <summary>
/// Every <c>Optio:Sync:Interval</c> (default 60 s) each enabled provider is queued for a sync on
/// the durable sync queue, by one node of the cluster: the node holding the schedule's advisory
/// lock. If it dies, PostgreSQL releases the lock and another node takes the schedule over.
/// </summary>
public sealed class SyncSchedule(IDocumentStore store, NpgsqlDataSource database, IWolverineRuntime wolverine, TimeProvider clock,
    IOptions<SyncOptions> options, ILogger<SyncSchedule> logger) : BackgroundService
{
    const int ScheduleLockSpace = 0x0971_0004;

    public TimeSpan Interval { get; } = options.Value.Interval;

    /// <summary>Queues a sync of every enabled provider; returns their ids.</summary>
    public async Task<IReadOnlyList<TicketProvider>> QueueAllAsync(string trigger, CancellationToken ct)
    {
        IReadOnlyList<TicketProvider> enabled;
        await using (var query = store.QuerySession())
            enabled = await query.Query<TicketProvider>().Where(x => x.Enabled).ToListAsync(ct);
        // A bus of our own: this singleton outlives any message or request scope.
        var bus = new MessageBus(wolverine);
        foreach (var provider in enabled)
            await bus.SendAsync(new SyncProvider(provider.Id, trigger));
        return enabled;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ClusterSchedule.RunAsync("Queuing the scheduled provider syncs", Interval, ScheduleLockSpace, runAtStart: false,
            database, clock, logger, ct => QueueAllAsync("schedule", ct), stoppingToken);
}
