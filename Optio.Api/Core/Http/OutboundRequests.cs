using System.Diagnostics;

namespace Optio.Api.Core.Http;

/// <summary>
/// Counts the HTTP requests one piece of work sends (whatever client sends them: Octokit, the Linear client) and how
/// many were answered 304 Not Modified, from HttpClient's own activities. Only flows inside <see cref="Count"/> are
/// counted; everywhere else the listener asks HttpClient for nothing.
/// </summary>
public sealed class OutboundRequests
{
    static readonly AsyncLocal<OutboundRequests?> Ambient = new();
    static readonly ActivityListener Listener = Listen();

    int _sent;
    int _notModified;

    public int Sent => _sent;
    public int NotModified => _notModified;

    /// <summary>Counts this flow's requests until the scope ends.</summary>
    public static IDisposable Count(out OutboundRequests counter)
    {
        GC.KeepAlive(Listener);
        var previous = Ambient.Value;
        counter = new OutboundRequests();
        Ambient.Value = counter;
        return new Restore(previous);
    }

    static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                Ambient.Value is null ? ActivitySamplingResult.None : ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Ambient.Value is not { } counter) return;
                Interlocked.Increment(ref counter._sent);
                if (activity.GetTagItem("http.response.status_code") is 304 or "304") Interlocked.Increment(ref counter._notModified);
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    sealed class Restore(OutboundRequests? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
