using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Optio.Tests.Hosts;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Audit;

/// <summary>
/// `projections rebuild` as an operator runs it next to the service while runners and people keep writing: every write the
/// API acknowledged is in the rebuilt read models, the service stays ready, and a drifted row is made right.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public partial class RebuildBesideServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Projections_rebuild_beside_a_service_taking_writes_loses_none_and_corrects_a_tampered_row()
    {
        var database = await TestPostgres.NewDatabaseAsync("rebuild_live");
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, log: output.WriteLine);
        var acknowledged = new ConcurrentDictionary<Guid, (string State, long Version)>();
        List<Guid>[] own = [[], []];
        for (var i = 0; i < 60; i++) await WriteAsync(service, acknowledged, own[i % 2], i);
        var tampered = acknowledged.Keys.First();
        var title = await TamperTitleAsync(database, tampered);

        using var stop = new CancellationTokenSource();
        var notReady = 0;
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 1000 * (w + 1); !stop.IsCancellationRequested; i++) await WriteAsync(service, acknowledged, own[w], i);
        })).ToList();
        var readiness = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (!(await service.Http.GetAsync("/health/ready")).IsSuccessStatusCode) Interlocked.Increment(ref notReady);
                await Task.Delay(100);
            }
        });

        await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= 70, TimeSpan.FromSeconds(30), "writes under way");
        var before = acknowledged.Count;
        var rebuild = await service.RunBesideAsync("projections rebuild", environment: Wide);
        var during = acknowledged.Count - before;
        await Eventually.Until(() => Task.FromResult(acknowledged.Count), n => n >= before + during + 10, TimeSpan.FromSeconds(30), "writes after the rebuild");
        await stop.CancelAsync();
        await Task.WhenAll([.. writers, readiness]);

        Assert.True(rebuild.ExitCode == 0, rebuild.Output);
        output.WriteLine(rebuild.Output);
        Assert.True(during > 0, "no write was acknowledged while the rebuild ran");
        Assert.Matches(@"Appends waited [\d,]+ ms at the swap", rebuild.Output);
        Assert.True(int.Parse(CaughtUp().Match(rebuild.Output).Groups[1].Value.Replace(",", "")) > 0, $"no stream moved during the rebuild: {rebuild.Output}");
        Assert.Contains("optio.mt_doc_tasksummary", rebuild.Output);

        foreach (var (id, (state, version)) in acknowledged)
        {
            var row = await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{id}");
            Assert.Equal((state, version), (row.GetProperty("state").GetString()!, row.GetProperty("version").GetInt64()));
        }
        Assert.Equal(acknowledged.Count, await ScalarAsync(database, "select count(*) from optio.mt_doc_tasksummary"));
        Assert.Equal(title, (await service.Http.GetFromJsonAsync<JsonElement>($"/api/tasks/{tampered}")).GetProperty("title").GetString());
        Assert.Equal(0, notReady);

        var verify = await service.RunBesideAsync("projections verify");
        Assert.True(verify.ExitCode == 0, verify.Output);
        Assert.Contains("0 differences", verify.Output);
    }

    [Fact]
    public async Task A_rebuild_waits_for_an_append_under_way_and_a_second_rebuild_meanwhile_is_refused()
    {
        var (service, database, task, title) = await ServiceWithATamperedTaskAsync("rebuild_alone");
        await using var _ = service;
        await using var append = await AppendUnderWayAsync(database);

        var first = service.RunBesideAsync("projections rebuild", environment: Wide);
        await Eventually.Until(() => ScalarAsync(database, "select count(*) from pg_locks where not granted and relation = 'optio.mt_events'::regclass"),
            n => n > 0, TimeSpan.FromSeconds(60), "the first rebuild waiting for the append");
        var second = await service.RunBesideAsync("projections rebuild", environment: Wide);
        await append.DisposeAsync();
        var done = await first;

        Assert.True(second.ExitCode == 1, second.Output);
        Assert.Contains("another projections rebuild or verify is running against this database (optio projections rebuild", second.Output);
        Assert.True(done.ExitCode == 0, done.Output);
        Assert.Contains("1 row(s) corrected", done.Output);
        Assert.Equal(title, await ReadTitleAsync(database, task));
        Assert.Equal(0, await ScalarAsync(database, "select count(*) from pg_namespace where nspname like 'optio_rebuild_%'"));
    }

    [Fact]
    public async Task A_rebuild_that_cannot_pause_appends_fails_and_leaves_the_read_models_untouched()
    {
        var (service, database, task, _) = await ServiceWithATamperedTaskAsync("rebuild_stuck");
        await using var _ = service;
        await using var append = await AppendUnderWayAsync(database);

        var failed = await service.RunBesideAsync("projections rebuild", environment: new Dictionary<string, string>(Wide)
        {
            ["Optio__Projections__RebuildLockTimeout"] = "00:00:02",
        });

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("projections rebuild failed, the read models are untouched: appends did not pause within 2 s", failed.Output);
        Assert.Contains("Optio:Projections:RebuildLockTimeout", failed.Output);
        Assert.Equal("Tampered", await ReadTitleAsync(database, task));
        Assert.Equal(0, await ScalarAsync(database, "select count(*) from pg_namespace where nspname like 'optio_rebuild_%'"));
        await append.DisposeAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
    }

    static readonly Dictionary<string, string> Wide = new() { ["COLUMNS"] = "240" };

    async Task<(ServiceProcess Service, string Database, Guid Task, string Title)> ServiceWithATamperedTaskAsync(string name)
    {
        var database = await TestPostgres.NewDatabaseAsync(name);
        var service = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, database, log: output.WriteLine);
        var acknowledged = new ConcurrentDictionary<Guid, (string State, long Version)>();
        await WriteAsync(service, acknowledged, [], 0);
        var task = acknowledged.Keys.Single();
        return (service, database, task, await TamperTitleAsync(database, task));
    }

    /// <summary>An append that has inserted its events and not committed: what a rebuild must wait for (closing rolls it back).</summary>
    static async Task<NpgsqlConnection> AppendUnderWayAsync(string database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var hold = new NpgsqlCommand("begin; lock table optio.mt_events in row exclusive mode", connection);
        await hold.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>
    /// One write a runner or an operator makes: a new task, or a move of one it made earlier (<paramref name="own"/>: fail,
    /// cancel, retry), remembered with the state and version the API answered. Every write must be acknowledged: the
    /// rebuild may delay one, never fail it.
    /// </summary>
    static async Task WriteAsync(ServiceProcess service, ConcurrentDictionary<Guid, (string State, long Version)> acknowledged, List<Guid> own, int n)
    {
        var earlier = own.Count > 0 ? own[n * 7 % own.Count] : Guid.Empty;
        var state = own.Count > 0 ? acknowledged[earlier].State : null;
        var response = (n % 4, state) switch
        {
            (1, "queued") => await service.Http.PostAsJsonAsync($"/api/tasks/{earlier}/fail", new { reason = $"write {n}" }),
            (2, "queued") => await service.Http.PostAsync($"/api/tasks/{earlier}/cancel", null),
            (3, "failed" or "cancelled") => await service.Http.PostAsync($"/api/tasks/{earlier}/retry", null),
            _ => await service.Http.PostAsJsonAsync("/api/tasks", new { title = $"Write {n}", prompt = "p" }),
        };
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"write {n} answered {(int)response.StatusCode}: {body}");
        var task = JsonDocument.Parse(body).RootElement;
        var id = task.GetProperty("id").GetGuid();
        if (!acknowledged.ContainsKey(id)) own.Add(id);
        acknowledged[id] = (task.GetProperty("state").GetString()!, task.GetProperty("version").GetInt64());
    }

    static async Task<string> TamperTitleAsync(string database, Guid id)
    {
        var title = await ReadTitleAsync(database, id);
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var write = new NpgsqlCommand("update optio.mt_doc_tasksummary set data = jsonb_set(data, '{Title}', '\"Tampered\"') where id = $1", conn)
        {
            Parameters = { new() { Value = id } },
        };
        Assert.Equal(1, await write.ExecuteNonQueryAsync());
        return title;
    }

    static async Task<string> ReadTitleAsync(string database, Guid id)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var read = new NpgsqlCommand("select data->>'Title' from optio.mt_doc_tasksummary where id = $1", conn) { Parameters = { new() { Value = id } } };
        return (string)(await read.ExecuteScalarAsync())!;
    }

    static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var conn = new NpgsqlConnection(database);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"([\d,]+) stream\(s\) moved meanwhile")]
    private static partial Regex CaughtUp();
}
