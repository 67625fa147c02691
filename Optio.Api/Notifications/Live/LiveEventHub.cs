using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.Notifications.Live;

/// <summary>How the live stream treats its clients (<c>Optio:LiveEvents</c>).</summary>
public sealed class LiveEventsOptions
{
    public const string Section = "Optio:LiveEvents";

    /// <summary>Messages a client may fall behind before it is dropped.</summary>
    public int ClientBuffer { get; set; } = 1024;

    /// <summary>How often each node looks for newly stored events.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a dropped client gets to take its close frame before the connection is cut.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long publishing waits for a full client's queue to have room before dropping it.</summary>
    public TimeSpan SlowClientPatience { get; set; } = TimeSpan.FromSeconds(5);

    internal static IEnumerable<string> Problems(LiveEventsOptions o, string section) =>
        OptioOptions.AtLeast(section, nameof(ClientBuffer), o.ClientBuffer, 2)
            .Concat(OptioOptions.Positive(section, nameof(PollInterval), o.PollInterval))
            .Concat(OptioOptions.NotNegative(section, nameof(CloseGrace), o.CloseGrace))
            .Concat(OptioOptions.NotNegative(section, nameof(SlowClientPatience), o.SlowClientPatience));

    /// <summary>Events read (and published) at once: a quarter of a client's buffer.</summary>
    public int PageSize => Math.Clamp(ClientBuffer / 4, 1, 500);
}

/// <summary>
/// The clients of this node's live stream. Each has a bounded queue. Before each page the tail waits for every
/// queue to have room for it (<see cref="MakeRoomAsync"/>), so a burst goes out at the pace of the slowest reader
/// that keeps reading; a client still full after <see cref="LiveEventsOptions.SlowClientPatience"/> has fallen
/// behind and is dropped (its socket is closed), so one stalled reader delays the others by that bound at most.
/// </summary>
public sealed class LiveEventHub
{
    readonly ConcurrentDictionary<long, LiveClient> _clients = new();
    readonly LiveEventsOptions _options;
    long _nextId;

    public LiveEventHub(IOptions<LiveEventsOptions> options, IHostApplicationLifetime lifetime)
    {
        _options = options.Value;
        lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var client in _clients.Values) client.Drop(WebSocketCloseStatus.EndpointUnavailable, "server stopping");
        });
    }

    public int Count => _clients.Count;

    public LiveClient Connect()
    {
        var client = new LiveClient(Interlocked.Increment(ref _nextId), _options, this);
        _clients[client.Id] = client;
        return client;
    }

    /// <summary>
    /// Waits until every client can take <paramref name="count"/> more messages, for <see cref="LiveEventsOptions.SlowClientPatience"/>
    /// at most, then drops those that still cannot.
    /// </summary>
    public async Task MakeRoomAsync(int count, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(_options.SlowClientPatience);
        try
        {
            await Task.WhenAll(_clients.Values.Select(c => c.WaitForRoomAsync(count, patience.Token)));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
        }
        foreach (var client in _clients.Values.Where(c => !c.HasRoomFor(count))) client.DropAsTooSlow();
    }

    /// <summary>Hands one message to every client, without waiting; drops those that cannot take it.</summary>
    public void Publish(ReadOnlyMemory<byte> message)
    {
        foreach (var client in _clients.Values) client.Offer(message);
    }

    internal void Remove(LiveClient client) => _clients.TryRemove(client.Id, out _);
}

/// <summary>One connected client: its queue, and why it was dropped if it was.</summary>
public sealed class LiveClient : IDisposable
{
    readonly Channel<ReadOnlyMemory<byte>> _queue;
    readonly CancellationTokenSource _stop = new();
    readonly CancellationTokenSource _abort = new();
    readonly SemaphoreSlim _drained = new(0, 1);
    readonly LiveEventsOptions _options;
    readonly LiveEventHub _hub;
    int _dropped;

    internal LiveClient(long id, LiveEventsOptions options, LiveEventHub hub)
    {
        Id = id;
        _options = options;
        _hub = hub;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(options.ClientBuffer)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // never used to wait: TryWrite fails instead, and the client is dropped
        });
    }

    public long Id { get; }
    public WebSocketCloseStatus CloseStatus { get; private set; } = WebSocketCloseStatus.NormalClosure;
    public string CloseReason { get; private set; } = "bye";

    /// <summary>Cancelled when a blocked send should give up: a dropped client's grace is over.</summary>
    public CancellationToken SendAborted => _abort.Token;

    internal void Offer(ReadOnlyMemory<byte> message)
    {
        if (!_queue.Writer.TryWrite(message)) DropAsTooSlow();
    }

    internal bool HasRoomFor(int count) => Volatile.Read(ref _dropped) == 1 || _options.ClientBuffer - _queue.Reader.Count >= count;

    /// <summary>Returns when the queue has room for <paramref name="count"/> more messages, or the client is gone.</summary>
    internal async Task WaitForRoomAsync(int count, CancellationToken ct)
    {
        while (!HasRoomFor(count)) await _drained.WaitAsync(ct);
    }

    internal void DropAsTooSlow() => Drop(WebSocketCloseStatus.PolicyViolation,
        $"too slow: fell more than {_options.ClientBuffer} events behind for {_options.SlowClientPatience.TotalSeconds:0.###} s; reconnect and catch up from the API");

    void SignalDrained()
    {
        if (_drained.CurrentCount > 0) return;
        try { _drained.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Stops the client's stream now: no more messages, a close frame, and the connection cut if it cannot take that within the grace.</summary>
    public void Drop(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _dropped, 1) == 1) return;
        (CloseStatus, CloseReason) = (status, reason);
        _hub.Remove(this);
        _queue.Writer.TryComplete();
        _stop.Cancel();
        SignalDrained();
        _abort.CancelAfter(_options.CloseGrace);
    }

    /// <summary>The client's messages until it is dropped or leaves; what is still queued then is discarded.</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAllAsync()
    {
        while (true)
        {
            ReadOnlyMemory<byte> message;
            try
            {
                if (!await _queue.Reader.WaitToReadAsync(_stop.Token) || !_queue.Reader.TryRead(out message)) yield break;
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
            if (_stop.IsCancellationRequested) yield break;
            SignalDrained();
            yield return message;
        }
    }

    /// <summary>The client left (or its connection ended): stop queueing for it. The token sources are not disposed, so a late <see cref="Drop"/> stays harmless.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _dropped, 1);
        _hub.Remove(this);
        _queue.Writer.TryComplete();
        _stop.Cancel();
        SignalDrained();
    }
}
