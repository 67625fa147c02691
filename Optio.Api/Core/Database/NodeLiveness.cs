using Npgsql;
using Wolverine.Runtime;

namespace Optio.Api.Core.Database;

/// <summary>
/// A node lives as long as its PostgreSQL session: each node holds an advisory lock keyed by its Wolverine node id on a
/// connection of its own, and PostgreSQL frees it the moment the process dies. A node whose lock is free is dead however
/// recent its last health check, so its health check is backdated: the leader's next check treats it as stale and moves
/// its agents (the event-store subscriptions, the periodic work) at once, instead of after <c>StaleNodeTimeout</c>.
/// A node starting removes the dead nodes before Wolverine registers it (their messages return to the pool), so a
/// restarted single node finds itself alone and takes the lead at once, as on a new database, instead of a minute later.
/// </summary>
/// <remarks>
/// The lock is taken before Wolverine registers the node (<see cref="StartingAsync"/>), so no live node is ever seen
/// without it. A node of a version without this lock would be taken for dead: stop older nodes before starting this one.
/// </remarks>
public sealed class NodeLiveness(NpgsqlDataSource database, IWolverineRuntime runtime, ILogger<NodeLiveness> logger)
    : IHostedLifecycleService, IAsyncDisposable
{
    const int NodeAlive = 0x0971_0008;
    static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);

    readonly CancellationTokenSource _stopping = new();
    NpgsqlConnection? _held;
    Task _watching = Task.CompletedTask;

    Guid Self => runtime.Options.UniqueNodeId;

    public async Task StartingAsync(CancellationToken ct)
    {
        await HoldOwnLockAsync(ct);
        await SettleDeadNodesAsync(remove: true, ct);
        _watching = WatchAsync(_stopping.Token);
    }

    /// <summary>Keeps the lock held (taking it again on a new connection if the old one broke) and checks the others.</summary>
    async Task WatchAsync(CancellationToken ct)
    {
        // Real time on purpose: this watches connections and processes, it is not business time.
        using var timer = new PeriodicTimer(CheckEvery);
        while (await WaitAsync(timer, ct))
        {
            try
            {
                if (_held is not { State: System.Data.ConnectionState.Open }) await HoldOwnLockAsync(ct);
                await SettleDeadNodesAsync(remove: false, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Node liveness check failed; trying again in {Interval}", CheckEvery);
                await DropHeldAsync();
            }
        }
    }

    static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    async Task HoldOwnLockAsync(CancellationToken ct)
    {
        await DropHeldAsync();
        var connection = await database.OpenConnectionAsync(ct);
        await using var take = new NpgsqlCommand("select pg_advisory_lock($1)", connection) { Parameters = { new() { Value = Key(Self) } } };
        await take.ExecuteNonQueryAsync(ct);
        _held = connection;
    }

    /// <param name="remove">Delete the dead nodes (before this node joins), rather than leave their ejection to the leader.</param>
    async Task SettleDeadNodesAsync(bool remove, CancellationToken ct)
    {
        IReadOnlyList<Wolverine.Runtime.Agents.WolverineNode> nodes;
        try
        {
            nodes = await runtime.Storage.Nodes.LoadAllNodesAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return; // a new database: Wolverine has not created its tables yet, so there is no node to check
        }
        // Wolverine judges staleness by the real clock, so this does too.
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromDays(1);
        foreach (var node in nodes.Where(n => n.NodeId != Self && n.LastHealthCheck > longAgo))
        {
            if (!await IsFreeAsync(Key(node.NodeId), ct)) continue;
            logger.LogInformation("Node {Node} ({NodeId}) no longer holds its database session: its agents move now", node.AssignedNodeNumber, node.NodeId);
            if (remove) await runtime.Storage.Nodes.DeleteAsync(node.NodeId, node.AssignedNodeNumber);
            else await runtime.Storage.Nodes.OverwriteHealthCheckTimeAsync(node.NodeId, longAgo);
        }
    }

    async Task<bool> IsFreeAsync(long key, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var probe = new NpgsqlCommand("select case when pg_try_advisory_lock($1) then pg_advisory_unlock($1) else false end", connection) { Parameters = { new() { Value = key } } };
        return (bool)(await probe.ExecuteScalarAsync(ct))!;
    }

    static long Key(Guid nodeId) => AdvisoryLock.Key(NodeAlive, nodeId);

    async Task DropHeldAsync()
    {
        if (_held is null) return;
        await _held.DisposeAsync();
        _held = null;
    }

    int _stopped;

    /// <summary>Called by the host, then again when the container disposes the service: the second call does nothing.</summary>
    public async Task StoppedAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        await _stopping.CancelAsync();
        await _watching;
        await DropHeldAsync();
        _stopping.Dispose();
    }

    public ValueTask DisposeAsync() => new(StoppedAsync(CancellationToken.None));

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken ct) => Task.CompletedTask;
}
