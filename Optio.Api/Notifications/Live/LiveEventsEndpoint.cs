using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Optio.Api.Core.Http;

namespace Optio.Api.Notifications.Live;

/// <summary>
/// <c>GET /ws/events</c>: a WebSocket carrying every task state change as JSON, as it is stored.
/// Authenticated like the API (<c>Authorization: Bearer</c>, or <c>?token=</c> for browsers); see
/// <see cref="ApiKeyAuthMiddleware"/>. Clients only listen: what they send is ignored, except a close.
/// </summary>
public static class LiveEventsEndpoint
{
    public const string Path = "/ws/events";

    public static WebApplication MapOptioLiveEvents(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Map(Path, HandleAsync).ExcludeFromDescription();
        return app;
    }

    static async Task HandleAsync(HttpContext http, LiveEventHub hub, IOptions<LiveEventsOptions> settings, ILoggerFactory loggers)
    {
        var options = settings.Value;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Problems.Write(http, StatusCodes.Status400BadRequest, "WebSocket required",
                $"{Path} is a WebSocket: connect with ws:// or wss:// (e.g. websocat 'ws://host{Path}?token=<api key>').");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var client = hub.Connect();
        var receiving = ReceiveUntilClosedAsync(socket, client);
        try
        {
            await foreach (var message in client.ReadAllAsync())
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, client.SendAborted);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(client.CloseStatus, client.CloseReason, client.SendAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // Dropped while a send was stuck (a reader that stopped reading), or the connection broke: cut it.
            loggers.CreateLogger(typeof(LiveEventsEndpoint)).LogInformation("Live stream client {Client} cut: {Reason}", client.Id, client.CloseReason);
            socket.Abort();
        }
        finally
        {
            client.Dispose();
            // A client that does not answer the close frame in time is cut off.
            if (await Task.WhenAny(receiving, Task.Delay(options.CloseGrace)) != receiving) socket.Abort();
            await receiving;
        }
    }

    /// <summary>Reads (and ignores) what the client sends, so pings are answered and a close is noticed.</summary>
    static async Task ReceiveUntilClosedAsync(WebSocket socket, LiveClient client)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
                if (received.MessageType == WebSocketMessageType.Close) break;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
        {
        }
        client.Drop(WebSocketCloseStatus.NormalClosure, "bye");
    }
}
