using System.Text.Json;
using Npgsql;

namespace Optio.Api.Core.Audit;

/// <summary>Which events an export takes: every stream, one task's, or the streams that changed since a time (each whole).</summary>
public sealed record ExportFilter(Guid? StreamId = null, DateTimeOffset? Since = null);

/// <summary>
/// Writes the event store as NDJSON, one event per line (<see cref="ArchivedEvent"/>'s fields), whole streams one after
/// another in the order they began, each in version order. The data and headers are copied as stored, byte for byte
/// as PostgreSQL prints them: nothing is deserialized on the way out.
/// </summary>
public static class EventExport
{
    public static async Task<long> CountAsync(NpgsqlDataSource database, string schema, ExportFilter filter, CancellationToken ct)
    {
        await using var command = database.CreateCommand($"select count(*) from {schema}.mt_events e where {Streams(schema)}");
        Bind(command, filter);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Writes the events to <paramref name="output"/>; <paramref name="progress"/> hears each 1,000th and the last.</summary>
    public static async Task<long> WriteAsync(NpgsqlDataSource database, string schema, ExportFilter filter, Stream output,
        Action<long>? progress, CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"""
            with firsts as (select stream_id, min(seq_id) as first from {schema}.mt_events e where {Streams(schema)} group by stream_id)
            select e.stream_id, s.type, e.version, e.seq_id, e.id, e.type, e.mt_dotnet_type, e.timestamp,
                   e.correlation_id, e.causation_id, e.headers::text, e.data::text
            from firsts f join {schema}.mt_events e on e.stream_id = f.stream_id join {schema}.mt_streams s on s.id = e.stream_id
            order by f.first, e.version
            """);
        Bind(command, filter);
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        long written = 0;
        while (await reader.ReadAsync(ct))
        {
            json.WriteStartObject();
            json.WriteString("streamId", reader.GetGuid(0));
            WriteStringOrNull(json, "streamType", reader.IsDBNull(1) ? null : reader.GetString(1));
            json.WriteNumber("version", reader.GetInt64(2));
            json.WriteNumber("sequence", reader.GetInt64(3));
            json.WriteString("id", reader.GetGuid(4));
            json.WriteString("type", reader.GetString(5));
            WriteStringOrNull(json, "dotnetType", reader.IsDBNull(6) ? null : reader.GetString(6));
            json.WriteString("timestamp", reader.GetFieldValue<DateTimeOffset>(7));
            WriteStringOrNull(json, "correlationId", reader.IsDBNull(8) ? null : reader.GetString(8));
            WriteStringOrNull(json, "causationId", reader.IsDBNull(9) ? null : reader.GetString(9));
            json.WritePropertyName("headers");
            if (reader.IsDBNull(10)) json.WriteNullValue(); else json.WriteRawValue(reader.GetString(10), skipInputValidation: true);
            json.WritePropertyName("data");
            json.WriteRawValue(reader.GetString(11), skipInputValidation: true);
            json.WriteEndObject();
            await json.FlushAsync(ct);
            output.WriteByte((byte)'\n');
            json.Reset(output);
            if (++written % 1000 == 0) progress?.Invoke(written);
        }
        progress?.Invoke(written);
        return written;
    }

    /// <summary>The streams an export takes: those of the filter, each whole.</summary>
    static string Streams(string schema) =>
        $"($1::uuid is null or e.stream_id = $1) and ($2::timestamptz is null or e.stream_id in (select stream_id from {schema}.mt_events where timestamp >= $2))";

    static void Bind(NpgsqlCommand command, ExportFilter filter)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.StreamId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)filter.Since ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
    }

    static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name); else json.WriteString(name, value);
    }
}
