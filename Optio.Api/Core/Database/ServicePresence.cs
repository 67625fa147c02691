using Npgsql;

namespace Optio.Api.Core.Database;

/// <summary>
/// "An Optio service serves this database": every running service holds a shared advisory lock
/// for as long as it runs, and PostgreSQL drops it the moment the process dies. A command that must
/// not run beside a service (<c>import</c>) takes the lock exclusively, or is refused with the name
/// of the service that holds it.
/// </summary>
public sealed class ServicePresence(NpgsqlDataSource database, ILogger<ServicePresence> logger) : BackgroundService
{
    static readonly long Key = AdvisoryLock.Key(AdvisoryLock.ServiceRunning, Guid.Empty);
    /// <summary>The exclusive hold of a running rebuild command, kept open until the process ends.</summary>
    static NpgsqlConnection? HeldByCommand { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                await ScalarAsync(connection, "select set_config('application_name', $1, false)",
                    $"optio-service {Environment.MachineName} pid {Environment.ProcessId}", stoppingToken);
                await ScalarAsync(connection, "select pg_advisory_lock_shared($1)", Key, stoppingToken);
                // Real time on purpose: this watches a connection, it is not business time.
                while (true)
                {
                    await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
                    await ScalarAsync(connection, "select 1", null, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogDebug(e, "Lost the connection that marks this service as running; taking it again");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>
    /// For the command that must run alone (<c>import</c>): the exit code when a service runs against this database
    /// (after saying so on stderr), else null, holding the lock until this process ends so no service starts meanwhile
    /// and sends webhooks for history being imported. (<c>projections rebuild</c> runs beside a service: it holds appends
    /// back for its last step instead.)
    /// </summary>
    public static async Task<int?> RefuseBesideServiceAsync(string[] args, string connectionString)
    {
        if (MustRunAlone(args) is not { } command) return null;
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if ((bool)(await ScalarAsync(connection, "select pg_try_advisory_lock($1)", Key, default))!)
        {
            HeldByCommand = connection;
            return null;
        }
        var holders = await AdvisoryLock.HoldersAsync(connection, Key);
        await connection.DisposeAsync();
        Console.Error.WriteLine(
            $"{command} refused: an Optio service is running against this database ({holders}). Its subscriptions would send webhooks, " +
            $"comments and close-backs for the history as it lands. Stop the service, run `dotnet run --project Optio.Api -- {command} <file.ndjson>`, " +
            "then start the service again.");
        return 3;
    }

    static string? MustRunAlone(string[] args) => args switch
    {
        ["import", ..] => "import",
        _ => null,
    };

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, object? parameter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.Add(new() { Value = parameter });
        return await command.ExecuteScalarAsync(ct);
    }
}
