using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Infrastructure;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;

namespace Optio.Tests.Webhooks.Live;

[Collection(LiveCollection.Name)]
public class LiveEventsTests(LiveHost live) : IAsyncLifetime
{
    /// <summary>Clients of the previous test leave asynchronously: start when they are gone, so counting clients means something.</summary>
    public Task InitializeAsync() =>
        Eventually.Until(() => Task.FromResult(live.Hub.Count), n => n == 0, TimeSpan.FromSeconds(10), "the previous test's clients gone");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_state_change_is_pushed_as_json_as_it_is_stored()
    {
        using var socket = await live.ConnectAsync();
        var task = await CreateTaskAsync("Watch me live");
        await ClaimAsync(task.Id);
        await PostAsync($"/api/tasks/{task.Id}/heartbeat", new { runnerId = "runner-l", leaseSeconds = 600 });
        await PostAsync($"/api/tasks/{task.Id}/start", new { runnerId = "runner-l" });
        await PostAsync($"/api/tasks/{task.Id}/pr", new { prUrl = "https://github.com/acme/live/pull/4" });
        await PostAsync($"/api/tasks/{task.Id}/cancel", new { reason = "seen enough" });

        var messages = await socket.ReceiveForAsync(new HashSet<Guid> { task.Id }, 6);
        Assert.Equal(["task_created", "task_queued", "task_claimed", "task_started", "pr_opened", "task_cancelled"],
            messages.Select(m => m.GetProperty("event").GetString()));
        Assert.Equal(["queued", "queued", "provisioning", "running", "pr_opened", "cancelled"], messages.Select(m => m.GetProperty("state").GetString()));
        Assert.Equal([null, null, "queued", "provisioning", "running", "pr_opened"], messages.Select(m => m.GetProperty("previousState").GetString()));
        var versions = messages.Select(m => m.GetProperty("version").GetInt64()).ToList();
        Assert.Equal(versions.Order(), versions);
        var sequences = messages.Select(m => m.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        var last = messages[^1];
        Assert.Equal(("Watch me live", "https://github.com/acme/live", "https://github.com/acme/live/pull/4", "seen enough"),
            (last.GetProperty("title").GetString(), last.GetProperty("repoUrl").GetString(), last.GetProperty("prUrl").GetString(), last.GetProperty("reason").GetString()));
        Assert.True(last.TryGetProperty("timestamp", out _));
        Assert.DoesNotContain(messages, m => m.GetProperty("event").GetString() == "lease_renewed");
    }

    [Fact]
    public async Task The_api_key_may_come_as_a_bearer_header()
    {
        using var socket = await live.ConnectAsync(token: null, options: o => o.SetRequestHeader("Authorization", $"Bearer {ApiHost.ApiKey}"));
        var task = await CreateTaskAsync("Header auth");
        var messages = await socket.ReceiveForAsync(new HashSet<Guid> { task.Id }, 2);
        Assert.Equal("task_created", messages[0].GetProperty("event").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-key")]
    public async Task Without_the_api_key_the_handshake_is_refused_with_401(string? token)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(live.StreamUrl(token), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);
    }

    [Fact]
    public async Task A_plain_http_request_is_told_to_use_a_websocket()
    {
        using var response = await live.Http.GetAsync("/ws/events");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("WebSocket", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Changes_stored_by_another_node_reach_clients_of_this_one()
    {
        using var socket = await live.ConnectAsync();
        await using var otherNode = await ApiHost.StartHostAsync(live.ConnectionString, TimeProvider.System);

        var task = await otherNode.CreateTaskAsync("Made on node two");
        await otherNode.FailAsync(task.Id, "node two says no");

        var messages = await socket.ReceiveForAsync(new HashSet<Guid> { task.Id }, 3);
        Assert.Equal(["task_created", "task_queued", "task_failed"], messages.Select(m => m.GetProperty("event").GetString()));
        Assert.Equal("node two says no", messages[2].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_while_the_others_get_everything()
    {
        using var slow = await live.ConnectAsync(receiveBufferBytes: 2048);
        using var fast = await live.ConnectAsync();
        Assert.Equal(2, live.Hub.Count);

        // Enough stored changes to fill the slow client's socket buffers and then its queue, many times over.
        var ids = await StoreTasksAsync(count: 2000);
        var expected = ids.Count * 2;
        var started = DateTime.UtcNow;
        var received = await fast.ReceiveForAsync(ids, expected, TimeSpan.FromSeconds(60));
        Assert.Equal(expected, received.Count);
        Assert.Equal(received.Select(m => m.GetProperty("sequence").GetInt64()).Order(), received.Select(m => m.GetProperty("sequence").GetInt64()));

        await Eventually.Until(() => Task.FromResult(live.Hub.Count), n => n == 1, TimeSpan.FromSeconds(10), "the slow client dropped");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));

        // The slow client, reading at last, finds the stream ended early: closed as too slow, or cut off.
        var got = 0;
        string? closeReason = null;
        try
        {
            while (await slow.ReceiveJsonAsync(TimeSpan.FromSeconds(10)) is { } message)
                if (ids.Contains(message.GetProperty("taskId").GetGuid())) got++;
            closeReason = $"{slow.CloseStatus}: {slow.CloseStatusDescription}";
            Assert.Equal(WebSocketCloseStatus.PolicyViolation, slow.CloseStatus);
            Assert.Contains("too slow", slow.CloseStatusDescription);
        }
        catch (WebSocketException)
        {
            closeReason = "cut";
        }
        Assert.True(got < expected, $"the slow client got {got} of {expected} ({closeReason})");

        // And the fast one is still being served.
        var after = await StoreTasksAsync(count: 1);
        Assert.Equal(2, (await fast.ReceiveForAsync(after, 2)).Count);
    }

    [Fact]
    public async Task A_client_that_closes_is_let_go_with_a_close_handshake()
    {
        using var socket = await live.ConnectAsync();
        Assert.Equal(1, live.Hub.Count);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        await Eventually.Until(() => Task.FromResult(live.Hub.Count), n => n == 0, TimeSpan.FromSeconds(10), "the client let go");
    }

    /// <summary>Stores tasks the way a bulk import does (many streams per transaction) and returns their ids.</summary>
    async Task<HashSet<Guid>> StoreTasksAsync(int count)
    {
        var store = live.Services.GetRequiredService<IDocumentStore>();
        var ids = new HashSet<Guid>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(250))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk)
            {
                var id = Guid.CreateVersion7();
                ids.Add(id);
                session.Events.StartStream<OptioTask>(id, new TaskCreated($"Bulk {i}", "bulk", null), new TaskQueued());
            }
            await session.SaveChangesAsync();
        }
        return ids;
    }

    async Task<TaskView> CreateTaskAsync(string title)
    {
        using var response = await live.Http.PostAsJsonAsync("/api/tasks", new { title, prompt = "live", repoUrl = "https://github.com/acme/live" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TaskView>(JsonOptions))!;
    }

    async Task ClaimAsync(Guid id)
    {
        for (var i = 0; i < 200; i++)
        {
            using var response = await live.Http.PostAsJsonAsync("/api/tasks/claim", new { runnerId = "runner-l", leaseSeconds = 600 });
            if ((await response.Content.ReadFromJsonAsync<TaskView>(JsonOptions))!.Id == id) return;
        }
        throw new InvalidOperationException($"Task {id} was never claimed.");
    }

    async Task PostAsync(string url, object body)
    {
        using var response = await live.Http.PostAsJsonAsync(url, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
