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
    public static async Task<Verification> VerifyAsync(IServiceProvider services, Action<string>? progress, CancellationToken ct)
    {
        var live = services.GetRequiredService<IDocumentStore>();
        var database = services.GetRequiredService<NpgsqlDataSource>();
        var highWater = await ScalarAsync<long>(database, $"select coalesce(max(seq_id), 0) from {live.Options.Events.DatabaseSchemaName}.mt_events", ct);
        await using var scratch = await ScratchProjections.RebuildAsync(services, "verify", progress, ct);
        var drifts = new List<Drift>();
        long compared = 0;
        foreach (var (projection, table) in scratch.Tables)
        {
            progress?.Invoke($"comparing {table}");
            compared += await ScalarAsync<long>(database, $"select count(*) from {scratch.Schema}.{table}", ct);
            drifts.AddRange(await CompareAsync(database, projection, scratch.LiveSchema, scratch.Schema, table, scratch.EventsSchema, highWater, ct));
        }
        return new Verification(scratch.Projections, compared, drifts);
    }

    static async Task<IReadOnlyList<Drift>> CompareAsync(NpgsqlDataSource database, string projection, string liveSchema, string scratchSchema,
        string table, string events, long highWater, CancellationToken ct)
    {
        var compared = (await ScratchProjections.ColumnsAsync(database, liveSchema, table, ct)).Where(c => !ScratchProjections.Bookkeeping.Contains(c))
            .Select(c => $"\"{c}\"").ToList();
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
