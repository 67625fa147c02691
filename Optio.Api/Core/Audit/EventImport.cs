using JasperFx;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;

namespace Optio.Api.Core.Audit;

/// <summary>What an import did.</summary>
public sealed record ImportReport(long Events, int Streams, long HighWater, IReadOnlyList<string> Rebuilt);

/// <summary>
/// Loads an export into an empty event store: the events keep their ids, versions, timestamps and headers (the store-wide
/// sequence is assigned anew, stream after stream); then every projection is rebuilt from them, and every subscription
/// (webhook deliveries, close-back, …) is marked as having seen them all, so no side effect runs for imported history.
/// </summary>
public static class EventImport
{
    const int BatchSize = 5000;

    /// <summary>Events already stored: an import goes only into a store that has none.</summary>
    public static async Task<long> EventsStoredAsync(IDocumentStore store, CancellationToken ct)
    {
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using var query = store.QuerySession();
        return await query.Events.QueryAllRawEvents().LongCountAsync(ct);
    }

    public static async Task<ImportReport> ImportAsync(DocumentStore store, string path, IEnumerable<IRebuiltAfterImport> derived,
        Action<string, long>? progress, CancellationToken ct)
    {
        // First pass: every line must be an event of this version of Optio, and every stream whole, before anything is written.
        var streams = new Dictionary<Guid, BulkEventStreamHeader>();
        var order = new List<Guid>();
        long events = 0;
        await foreach (var (e, streamType) in ArchivedEvent.ReadAsync(path, store.Options.Serializer(), ct))
        {
            var expected = streams.TryGetValue(e.StreamId, out var seen) ? seen.Version + 1 : 1;
            if (e.Version != expected)
                throw new InvalidDataException($"{path}: stream {e.StreamId} has version {e.Version} where {expected} was expected; export whole streams, in order.");
            if (seen is null) order.Add(e.StreamId);
            streams[e.StreamId] = new BulkEventStreamHeader { Id = e.StreamId, Version = e.Version, AggregateTypeName = streamType };
            if (++events % 10_000 == 0) progress?.Invoke("checked", events);
        }
        progress?.Invoke("checked", events);

        var headers = order.Select(id => streams[id]).ToList();
        long appended = 0;
        await store.BulkInsertEventStreamAsync(StorageConstants.DefaultTenantId, headers, Counted(), BatchSize, ct);
        progress?.Invoke("appended", appended);

        var rebuilt = new List<string>();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            foreach (var projection in store.Options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live))
            {
                await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromMinutes(30), ct);
                rebuilt.Add(projection.Name);
                progress?.Invoke($"rebuilt {projection.Name}", events);
            }
        }
        var highWater = await MarkSubscriptionsCaughtUpAsync(store, ct);
        foreach (var step in derived)
        {
            var written = await step.RebuildAsync(store, ct);
            rebuilt.Add(step.Name);
            progress?.Invoke($"rebuilt {step.Name}", written);
        }
        return new ImportReport(events, headers.Count, highWater, rebuilt);

        async IAsyncEnumerable<JasperFx.Events.IEvent> Counted()
        {
            await foreach (var (e, _) in ArchivedEvent.ReadAsync(path, store.Options.Serializer(), ct))
            {
                yield return e;
                if (++appended % 10_000 == 0) progress?.Invoke("appended", appended);
            }
        }
    }

    /// <summary>
    /// Every subscription and async shard starts from the imported high-water mark, not from the first event: the
    /// history happened elsewhere, and its webhooks, comments and close-backs were sent there.
    /// </summary>
    static async Task<long> MarkSubscriptionsCaughtUpAsync(DocumentStore store, CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = new NpgsqlConnection(store.Storage.Database.CreateConnection().ConnectionString);
        await connection.OpenAsync(ct);
        await using var max = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {schema}.mt_events", connection);
        var highWater = (long)(await max.ExecuteScalarAsync(ct))!;
        foreach (var shard in store.Options.Projections.AllShards())
        {
            await using var mark = new NpgsqlCommand(
                $"""
                insert into {schema}.mt_event_progression (name, last_seq_id, last_updated) values ($1, $2, now())
                on conflict (name) do update set last_seq_id = greatest({schema}.mt_event_progression.last_seq_id, excluded.last_seq_id), last_updated = now()
                """, connection) { Parameters = { new() { Value = shard.Name.Identity }, new() { Value = highWater } } };
            await mark.ExecuteNonQueryAsync(ct);
        }
        return highWater;
    }
}
