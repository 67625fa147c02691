using Optio.Api.Core.Database;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Hosts;

/// <summary>
/// One throwaway PostgreSQL cluster for the whole test run (fsync off, random port, in
/// <see cref="TestRun.Directory"/>), started from the machine's binaries and removed when the test process ends. Each test host
/// gets its own database on it, so collections run in parallel without seeing each other.
/// Set OPTIO_TEST_POSTGRES to a connection string (without Database) to use a server you run.
/// </summary>
public static class TestPostgres
{
    static readonly Lazy<Task<Func<string, Task<string>>>> Cluster = new(StartAsync);

    public static async Task<string> NewDatabaseAsync(string prefix)
    {
        var create = await Cluster.Value;
        return await create($"{prefix}_{Guid.NewGuid():N}");
    }

    static async Task<Func<string, Task<string>>> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("OPTIO_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return async name =>
            {
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(external) { Database = "postgres" };
                await using var conn = new Npgsql.NpgsqlConnection(builder.ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new Npgsql.NpgsqlCommand($"create database \"{name}\"", conn);
                await cmd.ExecuteNonQueryAsync();
                builder.Database = name;
                return builder.ConnectionString;
            };
        }

        // TestRun's janitor stops the cluster and removes its directory when this process ends.
        var pg = await LocalPostgres.StartAsync(Path.Combine(TestRun.Directory, "data"), FreePort.Next(), throwaway: true);
        return async name =>
        {
            await pg.CreateDatabaseIfMissingAsync(name);
            return pg.ConnectionString(name);
        };
    }

}
