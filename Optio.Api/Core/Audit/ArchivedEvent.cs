using System.Text.Json;
using JasperFx.Events;
using Marten;

namespace Optio.Api.Core.Audit;

/// <summary>One line of an export, read back: where the event sits, what it is, and its data as the store's serializer reads it.</summary>
public static class ArchivedEvent
{
    /// <summary>Reads the file line by line; a line that cannot be an event stops the read, naming its number and what is wrong.</summary>
    public static async IAsyncEnumerable<(IEvent Event, string? StreamType)> ReadAsync(string path, ISerializer serializer,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        using var reader = new StreamReader(path, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        var number = 0;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            (IEvent, string?) e;
            try
            {
                e = Parse(line, serializer);
            }
            catch (Exception problem) when (problem is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{path}, line {number}: {problem.Message}", problem);
            }
            yield return e;
        }
    }

    static (IEvent, string?) Parse(string line, ISerializer serializer)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var dotnetType = root.GetProperty("dotnetType").GetString()
            ?? throw new InvalidOperationException("'dotnetType' is missing: it names the event's type.");
        var type = Type.GetType(dotnetType, throwOnError: false)
            ?? throw new InvalidOperationException($"no event type '{dotnetType}' in this version of Optio.");
        using var data = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(root.GetProperty("data").GetRawText()));
        var payload = serializer.FromJson(type, data)
            ?? throw new InvalidOperationException("'data' is null.");
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(type), payload)!;
        e.Id = root.GetProperty("id").GetGuid();
        e.StreamId = root.GetProperty("streamId").GetGuid();
        e.Version = root.GetProperty("version").GetInt64();
        e.Sequence = root.GetProperty("sequence").GetInt64();
        e.Timestamp = root.GetProperty("timestamp").GetDateTimeOffset();
        e.EventTypeName = root.GetProperty("type").GetString()!;
        e.DotNetTypeName = dotnetType;
        e.CorrelationId = root.TryGetProperty("correlationId", out var correlation) ? correlation.GetString() : null;
        e.CausationId = root.TryGetProperty("causationId", out var causation) ? causation.GetString() : null;
        if (root.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
            e.Headers = headers.EnumerateObject().ToDictionary(h => h.Name,
                h => h.Value.ValueKind == JsonValueKind.String ? h.Value.GetString()! : (object)h.Value.Clone());
        return (e, root.TryGetProperty("streamType", out var streamType) ? streamType.GetString() : null);
    }
}
