using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Runtime;
using Optio.Api.Core;
using Optio.Api.Tickets.Providers;

namespace Optio.Api.Tickets.Sync;

/// <summary>
/// Every <c>Optio:Sync:Interval</c> (default 60 s) each enabled provider is queued for a sync on
/// the durable sync queue, by the one node of the cluster running this agent (<see cref="PeriodicAgent"/>).
/// </summary>
public sealed class SyncSchedule(IDocumentStore store, IWolverineRuntime wolverine, TimeProvider clock,
    IOptions<SyncOptions> options, ILogger<SyncSchedule> logger)
    : PeriodicAgent("optio-sync-schedule", options.Value.Interval, runAtStart: false, clock, logger)
{
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

    protected override Task RunOnceAsync(CancellationToken ct) => QueueAllAsync("schedule", ct);
}
