using Npgsql;

namespace Optio.Api.Core.Database;

/// <summary>
/// "An Optio service serves this database": every running service holds a shared advisory lock
/// for as long as it runs, and PostgreSQL drops it the moment the process dies. A command that must
/// not run beside a service (a projection rebuild) takes the lock exclusively, or is refused with
/// the name of the service that holds it.
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
    /// For the commands that must run alone (<c>projections rebuild</c>, <c>import</c>): the exit code when a service runs
    /// against this database (after saying so on stderr), else null, holding the lock until this process ends so no
    /// service starts meanwhile (serving half-rebuilt read models, or sending webhooks for history being imported).
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
        var holders = await HoldersAsync(connection);
        await connection.DisposeAsync();
        var why = command == "import"
            ? "Its subscriptions would send webhooks, comments and close-backs for the history as it lands."
            : "A rebuild beside it would race the read-model rows it writes meanwhile.";
        Console.Error.WriteLine(
            $"{command} refused: an Optio service is running against this database ({holders}). {why} Stop the service, run " +
            $"`dotnet run --project Optio.Api -- {command}{(command == "import" ? " <file.ndjson>" : "")}`, then start the service again.");
        return 3;
    }

    static string? MustRunAlone(string[] args) => args switch
    {
        ["projections", .. var rest] when rest.Contains("rebuild") => "projections rebuild",
        ["import", ..] => "import",
        _ => null,
    };

    static async Task<string> HoldersAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            """
            select coalesce(string_agg(a.application_name || ' from ' || coalesce(host(a.client_addr), 'local socket'), ', '), 'unknown')
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and l.objsubid = 1
              and l.classid = ($1 >> 32)::oid and l.objid = ($1 & 4294967295)::oid
              and l.database = (select oid from pg_database where datname = current_database())
            """, connection) { Parameters = { new() { Value = Key } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, object? parameter, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.Add(new() { Value = parameter });
        return await command.ExecuteScalarAsync(ct);
    }
}
