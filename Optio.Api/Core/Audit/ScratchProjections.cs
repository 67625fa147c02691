using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Optio.Api.Core.Audit;

/// <summary>One projection's read-model table, by its unqualified name (the same in the live and the scratch schema).</summary>
public sealed record ProjectionTable(string Projection, string Table);

/// <summary>
/// Every stored (not live) projection rebuilt from the events into a scratch schema: a second store whose documents live
/// there and whose events are the live ones. Only reads the live schema; dropped on dispose. Shared by
/// <c>projections verify</c> (compares it with the live rows) and <c>projections rebuild</c> (moves it into them).
/// </summary>
public sealed class ScratchProjections : IAsyncDisposable
{
    readonly DocumentStore _store;
    readonly NpgsqlDataSource _database;
    readonly IReadOnlyList<IProjectionSource<IDocumentOperations, IQuerySession>> _projections;

    public string Schema { get; }
    public string LiveSchema => _live.Options.DatabaseSchemaName;
    public string EventsSchema => _live.Options.Events.DatabaseSchemaName;
    public IReadOnlyList<ProjectionTable> Tables { get; }
    public int Projections => _projections.Count;
    readonly DocumentStore _live;

    ScratchProjections(DocumentStore live, DocumentStore store, NpgsqlDataSource database, string schema)
    {
        (_live, _store, _database, Schema) = (live, store, database, schema);
        _projections = live.Options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToList();
        Tables = _projections.SelectMany(p => p.PublishedTypes().Select(t => new ProjectionTable(p.Name, live.Options.For(t, qualified: false)))).ToList();
    }

    /// <summary>
    /// Rebuilds every stored projection into a new scratch schema named after <paramref name="purpose"/>, from every
    /// event committed before the call (and perhaps some after: the caller knows which streams moved since).
    /// </summary>
    public static async Task<ScratchProjections> RebuildAsync(IServiceProvider services, string purpose, Action<string>? progress, CancellationToken ct)
    {
        var live = (DocumentStore)services.GetRequiredService<IDocumentStore>();
        var schema = $"optio_{purpose}_{Environment.ProcessId}_{Guid.NewGuid():N}"[..40];
        var scratch = new ScratchProjections(live, ScratchStore(services, live, schema), services.GetRequiredService<NpgsqlDataSource>(), schema);
        try
        {
            await scratch._store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            using var daemon = await scratch._store.BuildProjectionDaemonAsync();
            foreach (var projection in scratch._projections)
            {
                progress?.Invoke($"rebuilding {projection.Name}");
                await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(30), ct);
            }
            return scratch;
        }
        catch
        {
            await scratch.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Projects these streams again from all their events, replacing their scratch rows: for the streams that gained
    /// events while the rebuild ran. One read of their events, one save.
    /// </summary>
    public async Task ReprojectStreamsAsync(IReadOnlyCollection<Guid> streams, CancellationToken ct)
    {
        if (streams.Count == 0) return;
        var ids = streams.ToArray();
        await using (var delete = _database.CreateBatch())
        {
            foreach (var table in Tables.Select(t => t.Table).Distinct())
                delete.BatchCommands.Add(new NpgsqlBatchCommand($"delete from {Schema}.{table} where id = any($1)") { Parameters = { new() { Value = ids } } });
            await delete.ExecuteNonQueryAsync(ct);
        }
        await using var session = _store.LightweightSession();
        var events = await session.Events.QueryAllRawEvents().Where(e => ids.Contains(e.StreamId)).OrderBy(e => e.Sequence).ToListAsync(ct);
        var actions = events.GroupBy(e => e.StreamId).Select(g => StreamAction.For(g.Key, g.OrderBy(e => e.Version).ToList())).ToList();
        foreach (var projection in _projections) await projection.BuildForInline().ApplyAsync(session, actions, ct);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The write bookkeeping of a document row: not what the events say, so never compared.</summary>
    public static readonly string[] Bookkeeping = ["mt_last_modified", "mt_version", "mt_created_at"];

    /// <summary>A table's columns, in order.</summary>
    public static async Task<IReadOnlyList<string>> ColumnsAsync(NpgsqlDataSource database, string schema, string table, CancellationToken ct)
    {
        var columns = new List<string>();
        await using var list = database.CreateCommand(
            "select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position");
        list.Parameters.Add(new() { Value = schema });
        list.Parameters.Add(new() { Value = table });
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) columns.Add(reader.GetString(0));
        return columns;
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var drop = _database.CreateCommand($"drop schema if exists {Schema} cascade");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        finally
        {
            _store.Dispose();
        }
    }
}
