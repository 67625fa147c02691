using Wolverine.Runtime.Agents;

namespace Optio.Api.Core;

/// <summary>
/// Periodic work a cluster does once per interval, not once per node: a Wolverine singular agent. Wolverine's leader
/// places it on one node (in solo mode, on this one) and moves it to another when that node stops or is declared dead.
/// </summary>
/// <remarks>
/// Why an agent and not <c>opts.Schedules</c>: recurring schedules are cron expressions, which cannot say "every
/// 45 s" as the interval settings can, and they tick on Wolverine's clock; the agent ticks on
/// <see cref="TimeProvider"/>. Why not a self-rescheduling durable message: each node would seed its own chain at
/// start, and a changed interval would have to replace the stored one. Missing a tick while the agent moves loses
/// nothing: each tick looks at the whole state again (every provider, every tracked PR, every lease).
/// </remarks>
public abstract class PeriodicAgent(string scheme, TimeSpan interval, bool runAtStart, TimeProvider clock, ILogger logger)
    : SingularAgent(scheme)
{
    CancellationTokenSource? _stopping;
    Task _ticking = Task.CompletedTask;

    /// <summary>The configured interval; zero or less means the work never runs on its own.</summary>
    public TimeSpan Interval => interval;

    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    /// <summary>One round of the work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override Task startAsync(CancellationToken cancellationToken)
    {
        if (interval <= TimeSpan.Zero || _stopping is not null) return Task.CompletedTask;
        _stopping = new CancellationTokenSource();
        var stopping = _stopping.Token;
        _ticking = Task.Run(() => TickAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    protected override async Task stopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null) return;
        await _stopping.CancelAsync();
        await _ticking.WaitAsync(cancellationToken);
        _stopping.Dispose();
        _stopping = null;
    }

    async Task TickAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            for (var tick = runAtStart; tick || await timer.WaitForNextTickAsync(ct); tick = false)
            {
                try
                {
                    await RunOnceAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "{Work} failed; trying again in {Interval}", Scheme, interval);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
