using System.Collections.Concurrent;
using System.Diagnostics;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// Counts the commands Npgsql sends (each its own span, a batch one span: one network round trip each) per trace, so a
/// test can send a request with a <c>traceparent</c> of its own and count the database round trips it cost, whatever
/// else the process does meanwhile. A transaction's COMMIT is no command and is not counted.
/// </summary>
public sealed class DatabaseCommands : IDisposable
{
    readonly ActivityListener _listener;
    readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<string>> _byTrace = new();

    public DatabaseCommands()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql") _byTrace.GetOrAdd(a.TraceId, _ => new()).Enqueue((a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement") ?? a.DisplayName)?.ToString() ?? "");
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>A new trace to send as the request's <c>traceparent</c> header.</summary>
    public static (ActivityTraceId Trace, string Header) NewTrace()
    {
        var trace = ActivityTraceId.CreateRandom();
        return (trace, $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");
    }

    public IReadOnlyList<string> In(ActivityTraceId trace) => _byTrace.TryGetValue(trace, out var commands) ? [.. commands] : [];

    public void Dispose() => _listener.Dispose();
}
