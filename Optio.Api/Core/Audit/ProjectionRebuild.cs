using System.Diagnostics;
using Marten;
using Npgsql;

namespace Optio.Api.Core.Audit;

/// <summary>One read-model table after a rebuild: its rows, and how many of them the rebuild wrote (the rest were already right).</summary>
public sealed record RebuiltTable(string Projection, string Table, long Rows, long Corrected);

/// <summary>
/// What a rebuild did: the streams that moved while it ran (projected again), and how long appends waited for it: at the
/// swap (with the streams it projected again then), and
/// the longest of its <paramref name="Pauses"/> (the swap, and the moments it took a mark of the event sequence).
/// </summary>
public sealed record Rebuild(IReadOnlyList<RebuiltTable> Tables, int StreamsCaughtUp, int StreamsCaughtUpAtSwap, TimeSpan SwapHeld, TimeSpan LongestPause, int Pauses);

/// <summary>
/// <c>projections rebuild</c> beside a running service, losing no write. The projections are rebuilt into a scratch schema
/// while the service keeps appending, and the streams that moved meanwhile are projected again there, in rounds, until
/// few are left. Then, in one transaction that holds appends back (an EXCLUSIVE lock on the event table;
/// reads go on), the last few are projected again and the live rows made what the scratch rows say, writing only the
/// rows that differ. The inline projections write in the same transaction as their events, so a writer that waited
/// projects its events onto the rebuilt rows. Any failure rolls the live rows back untouched.
/// </summary>
public static class ProjectionRebuild
{
    public static async Task<Rebuild> RunAsync(IServiceProvider services, Action<string>? progress, CancellationToken ct)
    {
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var events = services.GetRequiredService<IDocumentStore>().Options.Events.DatabaseSchemaName;
        // How long to wait for the appends under way to finish before giving up; new appends queue behind the wait.
        var lockTimeout = services.GetRequiredService<IConfiguration>().GetValue<TimeSpan?>("Optio:Projections:RebuildLockTimeout") ?? TimeSpan.FromSeconds(10);

        var holds = new List<TimeSpan>();
        var mark = await MarkAsync(database, events, lockTimeout, holds, ct);
        await using var scratch = await ScratchProjections.RebuildAsync(services, "rebuild", progress, ct);

        var caughtUp = new HashSet<Guid>();
        // Catch up outside the swap while many streams moved, so the swap itself has few to project again.
        for (var round = 1; round <= 5; round++)
        {
            var next = await MarkAsync(database, events, lockTimeout, holds, ct);
            IReadOnlyCollection<Guid> moved;
            await using (var reading = await database.OpenConnectionAsync(ct)) moved = await MovedStreamsAsync(reading, events, mark, next, ct);
            progress?.Invoke($"catching up {moved.Count} stream(s) that moved meanwhile");
            await scratch.ReprojectStreamsAsync(moved, ct);
            caughtUp.UnionWith(moved);
            mark = next;
            if (moved.Count <= 20) break;
        }

        var swap = new NpgsqlBatch();
        foreach (var (_, table) in scratch.Tables)
        {
            var (delete, upsert) = await SwapStatementsAsync(database, scratch, table, ct);
            swap.BatchCommands.Add(new NpgsqlBatchCommand(delete));
            swap.BatchCommands.Add(new NpgsqlBatchCommand(upsert));
        }

        progress?.Invoke("holding appends back to swap in the rebuilt rows");
        var held = Stopwatch.StartNew();
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await LockAppendsAsync(connection, events, lockTimeout, ct);
        var last = await MovedStreamsAsync(connection, events, mark, long.MaxValue, ct);
        await scratch.ReprojectStreamsAsync(last, ct);
        caughtUp.UnionWith(last);
        List<long> corrected;
        await using (swap)
        {
            (swap.Connection, swap.Transaction) = (connection, transaction);
            await swap.ExecuteNonQueryAsync(ct);
            corrected = swap.BatchCommands.Cast<NpgsqlBatchCommand>().Chunk(2).Select(c => (long)(c[0].RecordsAffected + c[1].RecordsAffected)).ToList();
        }
        await transaction.CommitAsync(ct);
        held.Stop();
        holds.Add(held.Elapsed);

        var tables = new List<RebuiltTable>();
        foreach (var ((projection, table), fixedRows) in scratch.Tables.Zip(corrected))
        {
            await using var count = database.CreateCommand($"select count(*) from {scratch.Schema}.{table}");
            tables.Add(new RebuiltTable(projection, $"{scratch.LiveSchema}.{table}", (long)(await count.ExecuteScalarAsync(ct))!, fixedRows));
        }
        return new Rebuild(tables, caughtUp.Count, last.Count, held.Elapsed, holds.Max(), holds.Count);
    }

    /// <summary>
    /// The highest event sequence, taken while appends are held back for a moment: every append that took a sequence
    /// number has committed by then, so every event up to the mark is stored and visible, and any later one is above it.
    /// </summary>
    static async Task<long> MarkAsync(NpgsqlDataSource database, string events, TimeSpan lockTimeout, List<TimeSpan> holds, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var held = Stopwatch.StartNew();
        await LockAppendsAsync(connection, events, lockTimeout, ct);
        var mark = await ScalarAsync<long>(connection, $"select coalesce(max(seq_id), 0) from {events}.mt_events", null, ct);
        await transaction.CommitAsync(ct);
        holds.Add(held.Elapsed);
        return mark;
    }

    /// <summary>
    /// Appends wait from here to the end of the transaction: every append inserts into <c>mt_events</c>, so an EXCLUSIVE
    /// lock on that table alone waits for the appends under way and holds back the next (reads go on). Only that table:
    /// Marten's quick append inserts the events before it updates the stream's version in <c>mt_streams</c>, so locking
    /// <c>mt_streams</c> first deadlocked with an append that had inserted its events (seen in a test run).
    /// </summary>
    static async Task LockAppendsAsync(NpgsqlConnection connection, string events, TimeSpan timeout, CancellationToken ct)
    {
        await ScalarAsync<object>(connection, $"set local lock_timeout = '{(int)timeout.TotalMilliseconds}ms'", null, ct);
        try
        {
            await ScalarAsync<object>(connection, $"lock table {events}.mt_events in exclusive mode", null, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new TimeoutException(
                $"appends did not pause within {timeout.TotalSeconds:0.#} s: a transaction writing events held on (set Optio:Projections:RebuildLockTimeout to wait longer).", e);
        }
    }

    /// <summary>The streams with an event after <paramref name="from"/>, up to <paramref name="to"/>.</summary>
    static async Task<IReadOnlyCollection<Guid>> MovedStreamsAsync(NpgsqlConnection connection, string events, long from, long to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select distinct stream_id from {events}.mt_events where seq_id > $1 and seq_id <= $2", connection)
        {
            Parameters = { new() { Value = from }, new() { Value = to } },
        };
        var moved = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) moved.Add(reader.GetGuid(0));
        return moved;
    }

    /// <summary>
    /// The statements that make a live table's rows the scratch table's, writing only the rows that differ (by every
    /// column but the write bookkeeping): a healthy read model costs a comparison, not a rewrite. Written before the swap
    /// so the swap itself is one round trip.
    /// </summary>
    static async Task<(string Delete, string Upsert)> SwapStatementsAsync(NpgsqlDataSource database, ScratchProjections scratch, string table,
        CancellationToken ct)
    {
        var columns = (await ScratchProjections.ColumnsAsync(database, scratch.LiveSchema, table, ct)).Select(c => $"\"{c}\"").ToList();
        var compared = columns.Where(c => !ScratchProjections.Bookkeeping.Contains(c.Trim('"'))).ToList();
        var (live, rebuilt) = ($"{scratch.LiveSchema}.{table}", $"{scratch.Schema}.{table}");
        var all = string.Join(", ", columns);
        var row = (string alias) => $"row({string.Join(", ", compared.Select(c => $"{alias}.{c}"))})";
        return (
            $"delete from {live} l where not exists (select 1 from {rebuilt} s where s.id = l.id)",
            $"""
            insert into {live} ({all})
            select {string.Join(", ", columns.Select(c => $"s.{c}"))} from {rebuilt} s left join {live} l on l.id = s.id
            where l.id is null or {row("l")} is distinct from {row("s")}
            on conflict (id) do update set ({all}) = row({string.Join(", ", columns.Select(c => $"excluded.{c}"))})
            """);
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, object? parameter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.Add(new() { Value = parameter });
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
