using Npgsql;
using Optio.Api.Core.Database;

namespace Optio.Api.Core.Audit;

/// <summary>
/// One scratch rebuild at a time per database (<c>projections rebuild</c> or <c>projections verify</c>): two would share
/// the projections' progress rows in the event store and a second swap would race the first.
/// </summary>
public static class ScratchRebuildLock
{
    const int Space = 0x0971_0015;

    /// <summary>The lock, or null after saying on stderr who holds it.</summary>
    public static async Task<AdvisoryLock?> TryAcquireAsync(IServiceProvider services, string command)
    {
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var held = await AdvisoryLock.TryAcquireAsync(database, Space, Guid.Empty, default,
            holder: $"optio {command} {Environment.MachineName} pid {Environment.ProcessId}");
        if (held is not null) return held;
        await using var connection = await database.OpenConnectionAsync();
        var holders = await AdvisoryLock.HoldersAsync(connection, AdvisoryLock.Key(Space, Guid.Empty));
        Console.Error.WriteLine($"{command} refused: another projections rebuild or verify is running against this database ({holders}). " +
            $"Run `{command}` again when it has finished.");
        return null;
    }
}
