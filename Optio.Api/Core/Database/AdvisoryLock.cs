using Npgsql;

namespace Optio.Api.Core.Database;

/// <summary>
/// A PostgreSQL session advisory lock: held while the returned handle lives, by one connection of
/// one node, and released by PostgreSQL itself if the node dies. Keys carry a namespace in their
/// high word so Optio's locks never meet Wolverine's or Marten's.
/// </summary>
public sealed class AdvisoryLock : IAsyncDisposable
{
    /// <summary>Optio's lock spaces are 0x0971_00NN; each module names its own beside the code that takes it.</summary>
    public const int ServiceRunning = 0x0971_0007;

    readonly NpgsqlConnection _connection;
    readonly long _key;

    AdvisoryLock(NpgsqlConnection connection, long key) => (_connection, _key) = (connection, key);

    public static long Key(int space, Guid id) => ((long)space << 32) | BitConverter.ToUInt32(id.ToByteArray(), 12);

    /// <summary>The lock, or null when another session holds it.</summary>
    /// <param name="holder">Who holds it, as <see cref="HoldersAsync"/> names it to whoever is refused.</param>
    public static async Task<AdvisoryLock?> TryAcquireAsync(NpgsqlDataSource database, int space, Guid id, CancellationToken ct, string? holder = null)
    {
        var key = Key(space, id);
        var connection = await database.OpenConnectionAsync(ct);
        try
        {
            if (holder is not null)
            {
                await using var name = new NpgsqlCommand("select set_config('application_name', $1, false)", connection) { Parameters = { new() { Value = holder } } };
                await name.ExecuteScalarAsync(ct);
            }
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } };
            if ((bool)(await command.ExecuteScalarAsync(ct))!) return new AdvisoryLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>The sessions holding this lock (exclusively or shared), by application name and address; "unknown" if none.</summary>
    public static async Task<string> HoldersAsync(NpgsqlConnection connection, long key)
    {
        await using var command = new NpgsqlCommand(
            """
            select coalesce(string_agg(a.application_name || ' from ' || coalesce(host(a.client_addr), 'local socket'), ', '), 'unknown')
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1
              and l.classid = ($1 >> 32)::oid and l.objid = ($1 & 4294967295)::oid
              and l.database = (select oid from pg_database where datname = current_database())
            """, connection) { Parameters = { new() { Value = key } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.State != System.Data.ConnectionState.Open) return;
            await using var command = new NpgsqlCommand("select pg_advisory_unlock($1)", _connection) { Parameters = { new() { Value = _key } } };
            await command.ExecuteScalarAsync();
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
