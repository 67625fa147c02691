using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Optio.Api.Core.Audit;

/// <summary>A read-model row that is not what the events make: missing, made by no event, or different.</summary>
public sealed record Drift(string Projection, string Table, string Id, string What, string? Live, string? Rebuilt);

/// <summary>What a verification compared and found.</summary>
public sealed record Verification(int Projections, long RowsCompared, IReadOnlyList<Drift> Drifts);

/// <summary>
/// Rebuilds every projection from the events into a scratch schema (a second store whose documents live there and whose
/// events are the live ones) and compares it with the live read models row by row, every column but the write
/// bookkeeping (<c>mt_last_modified</c>, <c>mt_version</c>, <c>mt_created_at</c>). Safe beside a running service: the
/// live rows are only read, and a row whose stream gained events after the rebuild began is left out, not reported.
/// </summary>
public static class ProjectionVerifier
{
    static readonly string[] Bookkeeping = ["mt_last_modified", "mt_version", "mt_created_at"];

    public static async Task<Verification> VerifyAsync(IServiceProvider services, Action<string>? progress, CancellationToken ct)
    {
        var live = (DocumentStore)services.GetRequiredService<IDocumentStore>();
        var events = live.Options.Events.DatabaseSchemaName;
        var scratch = $"optio_verify_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var highWater = await ScalarAsync<long>(database, $"select coalesce(max(seq_id), 0) from {events}.mt_events", ct);
        try
        {
            using var store = ScratchStore(services, live, scratch);
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var projections = live.Options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToList();
            var drifts = new List<Drift>();
            long compared = 0;
            using (var daemon = await store.BuildProjectionDaemonAsync())
            {
                foreach (var projection in projections)
                {
                    progress?.Invoke($"rebuilding {projection.Name}");
                    await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(30), ct);
                }
            }
            foreach (var projection in projections)
            foreach (var type in projection.PublishedTypes())
            {
                var table = live.Options.For(type, qualified: false);
                progress?.Invoke($"comparing {table}");
                compared += await ScalarAsync<long>(database, $"select count(*) from {scratch}.{table}", ct);
                drifts.AddRange(await CompareAsync(database, projection.Name, live.Options.DatabaseSchemaName, scratch, table, events, highWater, ct));
            }
            return new Verification(projections.Count, compared, drifts);
        }
        finally
        {
            await using var drop = database.CreateCommand($"drop schema if exists {scratch} cascade");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The service's store, documents in <paramref name="schema"/>, events where they are.</summary>
    static DocumentStore ScratchStore(IServiceProvider services, DocumentStore live, string schema)
    {
        var options = new StoreOptions();
        Database.EventStore.Configure(options, live.Options.Tenancy.Default.Database.CreateConnection().ConnectionString);
        foreach (var configure in services.GetServices<IConfigureMarten>()) configure.Configure(services, options);
        options.Events.DatabaseSchemaName = live.Options.Events.DatabaseSchemaName;
        options.DatabaseSchemaName = schema;
        return new DocumentStore(options);
    }

    static async Task<IReadOnlyList<Drift>> CompareAsync(NpgsqlDataSource database, string projection, string liveSchema, string scratchSchema,
        string table, string events, long highWater, CancellationToken ct)
    {
        var columns = new List<string>();
        await using (var list = database.CreateCommand(
            "select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position"))
        {
            list.Parameters.Add(new() { Value = liveSchema });
            list.Parameters.Add(new() { Value = table });
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));
        }
        var compared = columns.Where(c => !Bookkeeping.Contains(c)).Select(c => $"\"{c}\"").ToList();
        var row = (string alias) => $"row({string.Join(", ", compared.Select(c => $"{alias}.{c}"))})";
        await using var diff = database.CreateCommand(
            $"""
            select coalesce(l.id, s.id)::text,
                   case when s.id is null then 'made by no event' when l.id is null then 'missing' else 'differs' end,
                   l.data::text, s.data::text
            from {liveSchema}.{table} l full join {scratchSchema}.{table} s on s.id = l.id
            where {row("l")} is distinct from {row("s")}
              and not exists (select 1 from {events}.mt_events e where e.stream_id::text = coalesce(l.id, s.id)::text and e.seq_id > $1)
            order by 1
            """);
        diff.Parameters.Add(new() { Value = highWater });
        var drifts = new List<Drift>();
        await using var rows = await diff.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
            drifts.Add(new Drift(projection, $"{liveSchema}.{table}", rows.GetString(0), rows.GetString(1),
                rows.IsDBNull(2) ? null : rows.GetString(2), rows.IsDBNull(3) ? null : rows.GetString(3)));
        return drifts;
    }

    static async Task<T> ScalarAsync<T>(NpgsqlDataSource database, string sql, CancellationToken ct)
    {
        await using var command = database.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }
}
