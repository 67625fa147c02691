using System.Text.Json;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.Extensions.Options;
using Npgsql;
using Optio.Api.Notifications.Deliveries;
using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Live;

/// <summary>One message of the live stream: a task's state change, as stored.</summary>
/// <param name="Sequence">The event's position in the store: increasing, so a client can tell order and gaps after a reconnect.</param>
/// <param name="Event">The stored event's type, e.g. <c>task_claimed</c>.</param>
public sealed record LiveTaskEvent(
    long Sequence, Guid TaskId, string Event, string State, string? PreviousState, long Version, DateTimeOffset Timestamp,
    string Title, string? RepoUrl, string? PrUrl, string? Reason);

/// <summary>
/// Every node tails the event store itself, so a client connected to any node sees the changes made
/// on all of them. It reads only up to Marten's high-water mark (the sequence below which no
/// transaction can still commit), so an event is never skipped because an earlier one committed late,
/// and starts at the current mark: the stream is live, not a replay (the API serves the past).
/// </summary>
public sealed class LiveEventTail(IDocumentStore store, NpgsqlDataSource database, LiveEventHub hub, IOptions<LiveEventsOptions> settings,
    ILogger<LiveEventTail> logger) : BackgroundService
{
    readonly LiveEventsOptions options = settings.Value;
    static readonly Type[] StateChanges = [.. TaskEvents.StateChanges];
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    long _cursor = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await PumpAsync(stoppingToken)) continue; // a full page: there is more right away
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Live stream: reading the event store failed; trying again shortly");
            }
            // Real time on purpose: this is I/O polling, not business time (tests move their TimeProvider by days).
            await Task.Delay(options.PollInterval, stoppingToken);
        }
    }

    /// <summary>Publishes the next page of stored state changes; true when the page was full.</summary>
    internal async Task<bool> PumpAsync(CancellationToken ct)
    {
        var mark = await HighWaterMarkAsync(ct);
        if (_cursor < 0 || hub.Count == 0 || mark <= _cursor)
        {
            _cursor = Math.Max(_cursor, mark);
            return false;
        }

        await using var query = store.QuerySession();
        var from = _cursor;
        var page = await query.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > from && e.Sequence <= mark && e.EventTypesAre(StateChanges))
            .OrderBy(e => e.Sequence)
            .Take(options.PageSize)
            .ToListAsync(ct);
        var full = page.Count == options.PageSize;
        _cursor = full ? page[^1].Sequence : mark;
        if (page.Count == 0) return false;

        var states = await TaskStates.AroundAsync(query, page, ct);
        // A burst is paced on the slowest reader that keeps reading, instead of outrunning the sockets and dropping it.
        await hub.MakeRoomAsync(page.Count, ct);
        foreach (var e in page)
        {
            var (previous, after) = states[e.Sequence];
            var message = new LiveTaskEvent(e.Sequence, e.StreamId, e.EventTypeName, after.State.WireName(), previous?.WireName(),
                e.Version, e.Timestamp, after.Title, after.RepoUrl, after.PrUrl, after.Reason);
            hub.Publish(JsonSerializer.SerializeToUtf8Bytes(message, Json));
        }
        return full;
    }

    async Task<long> HighWaterMarkAsync(CancellationToken ct)
    {
        await using var command = database.CreateCommand(
            $"select last_seq_id from {store.Options.Events.DatabaseSchemaName}.mt_event_progression where name = 'HighWaterMark'");
        return await command.ExecuteScalarAsync(ct) is long mark ? mark : 0;
    }
}
