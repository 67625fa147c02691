using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Optio.Tests.Webhooks.Live;

/// <summary>Reading the stream as a client does.</summary>
public static class LiveClientExtensions
{
    /// <summary>The next whole message as JSON, or null when the server closed the stream.</summary>
    public static async Task<JsonElement?> ReceiveJsonAsync(this WebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        var buffer = new byte[8192];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) break;
        }
        return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
    }

    /// <summary>Reads until <paramref name="count"/> messages about the given tasks arrived (others are skipped).</summary>
    public static async Task<List<JsonElement>> ReceiveForAsync(this WebSocket socket, IReadOnlySet<Guid> tasks, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var messages = new List<JsonElement>();
        while (messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"Got {messages.Count} of {count} messages.");
            var message = await socket.ReceiveJsonAsync(left) ?? throw new InvalidOperationException($"The stream closed after {messages.Count} of {count} messages.");
            if (tasks.Contains(message.GetProperty("taskId").GetGuid())) messages.Add(message);
        }
        return messages;
    }
}
