using Npgsql;
using Optio.Api.Core.Database;

namespace Optio.Api.Core;

/// <summary>
/// Periodic work that a cluster does once per interval, not once per node: every node ticks, only
/// the holder of the work's advisory lock acts. When that node dies, PostgreSQL releases the lock
/// and the next node to tick takes over.
/// </summary>
public static class ClusterSchedule
{
    public static async Task RunAsync(string what, TimeSpan interval, int lockSpace, bool runAtStart,
        NpgsqlDataSource database, TimeProvider clock, ILogger logger, Func<CancellationToken, Task> work, CancellationToken ct)
    {
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval, clock);
        AdvisoryLock? leadership = null;
        try
        {
            for (var tick = runAtStart; tick || await timer.WaitForNextTickAsync(ct); tick = false)
            {
                try
                {
                    if (leadership is not null && !await leadership.StillHeldAsync(ct))
                    {
                        await leadership.DisposeAsync();
                        leadership = null;
                    }
                    leadership ??= await AdvisoryLock.TryAcquireAsync(database, lockSpace, Guid.Empty, ct);
                    if (leadership is not null) await work(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "{Work} failed; trying again in {Interval}", what, interval);
                }
            }
        }
        finally
        {
            if (leadership is not null) await leadership.DisposeAsync();
        }
    }
}
