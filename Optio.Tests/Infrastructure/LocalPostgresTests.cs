using Npgsql;
using Optio.Api.Infrastructure;

namespace Optio.Tests.Infrastructure;

public class LocalPostgresTests
{
    [Fact]
    public async Task Embedded_cluster_is_created_reused_and_stopped_without_leaving_a_process()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"optio-embedded-{Guid.NewGuid():N}", "pgdata");
        var port = FreePort.Next();
        try
        {
            var first = await LocalPostgres.StartAsync(dir, port);
            await first.CreateDatabaseIfMissingAsync("optio");
            await ExecuteAsync(first, "create table kept(id int); insert into kept values (42)");

            // A second start on a running cluster adopts it rather than failing.
            var adopted = await LocalPostgres.StartAsync(dir, port);
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
            await adopted.StopAsync();
            Assert.False(File.Exists(Path.Combine(dir, "postmaster.pid")));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }

    static async Task ExecuteAsync(LocalPostgres pg, string sql)
    {
        await using var conn = new NpgsqlConnection(pg.ConnectionString("optio") + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

}
