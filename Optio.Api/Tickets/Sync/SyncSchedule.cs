using Marten;
using Optio.Api.Tickets.Providers;
using Wolverine;
using Wolverine.Runtime;

namespace Optio.Api.Tickets.Sync;

/// <summary>
/// Every <c>Optio:Sync:Interval</c> (default 60 s) each enabled provider is queued for a sync on
/// the durable sync queue. Several nodes may all queue it: the provider's advisory lock lets one
/// sync at a time, and an unchanged provider costs a 304 per repo.
/// </summary>
public sealed class SyncSchedule(IDocumentStore store, IWolverineRuntime wolverine, TimeProvider clock, IConfiguration configuration,
    ILogger<SyncSchedule> logger) : BackgroundService
{
    public TimeSpan Interval { get; } = configuration.GetValue("Optio:Sync:Interval", TimeSpan.FromSeconds(60));

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (Interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await QueueAllAsync("schedule", stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not queue the scheduled provider syncs; trying again in {Interval}", Interval);
            }
        }
    }
}
