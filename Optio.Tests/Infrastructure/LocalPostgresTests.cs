using Npgsql;
using Optio.Api.Core.Database;

namespace Optio.Tests.Infrastructure;

public class LocalPostgresTests
{
    [Fact]
    public async Task Embedded_cluster_is_created_reused_and_stopped_by_the_process_that_started_it()
    {
        var dir = Path.Combine(TestRun.Directory, $"embedded-{Guid.NewGuid():N}", "pgdata");
        var port = FreePort.Next();
        var first = await LocalPostgres.StartAsync(dir, port);
        Assert.True(first.StartedHere);
        await first.CreateDatabaseIfMissingAsync("optio");
        await ExecuteAsync(first, "create table kept(id int); insert into kept values (42)");

        // Another user of a running cluster (a CLI command, a second instance) uses it and leaves it running.
        var beside = await LocalPostgres.StartAsync(dir, port);
        Assert.False(beside.StartedHere);
        await beside.StopAsync();
        await ExecuteAsync(first, "select 1");

        await first.StopAsync();
        Assert.False(File.Exists(Path.Combine(dir, "postmaster.pid")));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(first, "select 1"));

        // Restarting reuses the data directory: what was stored is still there.
        var again = await LocalPostgres.StartAsync(dir, port);
        await using var conn = new NpgsqlConnection(again.ConnectionString("optio"));
        await conn.OpenAsync();
        await using var read = new NpgsqlCommand("select id from kept", conn);
        Assert.Equal(42, await read.ExecuteScalarAsync());
        await conn.CloseAsync();
        await again.StopAsync();
        Assert.False(File.Exists(Path.Combine(dir, "postmaster.pid")));
    }

    [Fact]
    public async Task A_cluster_whose_starter_was_killed_is_taken_over_and_stopped_by_the_next_one()
    {
        var dir = Path.Combine(TestRun.Directory, $"embedded-{Guid.NewGuid():N}", "pgdata");
        var port = FreePort.Next();
        var crashed = await LocalPostgres.StartAsync(dir, port);
        Assert.True(crashed.StartedHere);
        // As a SIGKILLed service leaves it: still running, its owner file naming a process that is gone.
        await File.WriteAllTextAsync(dir + ".owner", $"{int.MaxValue - 1} 0");

        var next = await LocalPostgres.StartAsync(dir, port);
        Assert.True(next.StartedHere);
        await next.StopAsync();
        Assert.False(File.Exists(Path.Combine(dir, "postmaster.pid")));
    }

    static async Task ExecuteAsync(LocalPostgres pg, string sql)
    {
        await using var conn = new NpgsqlConnection(pg.ConnectionString("optio") + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
