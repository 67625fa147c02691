using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Wolverine;
using Optio.Api.Core.Database;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Linear;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Status;

/// <summary>Show the task's current status on its ticket, if it is not shown already.</summary>
public sealed record PublishTicketStatus(Guid TaskId);

/// <summary>
/// The latest state wins: the handler reads the task as it is now and what the last publish showed (both from the task's
/// stream), and writes only when they differ, so messages left behind by a burst find nothing to do. One publish per
/// task at a time, on any node (an advisory lock; a busy task is looked at again shortly). A rate limit waits for as long
/// as the provider says, without counting as a failure; other failures are retried (<see cref="TicketStatusOptions.RetryDelays"/>)
/// and the last one is recorded on the task (<see cref="TicketStatusPublishFailed"/>). Each publish is recorded as
/// <see cref="TicketStatusPublished"/>, with the comment the next one edits.
/// </summary>
public static class PublishTicketStatusHandler
{
    const int PublishLockSpace = 0x0971_0021;

    public static async Task Handle(PublishTicketStatus command, Envelope envelope, IMessageContext bus, IDocumentStore store,
        NpgsqlDataSource database, TaskWriter writer, IEnumerable<ITicketStatusWriter> writers, IOptions<TicketStatusOptions> options,
        ILogger<PublishTicketStatus> logger, CancellationToken ct)
    {
        await using var held = await AdvisoryLock.TryAcquireAsync(database, PublishLockSpace, command.TaskId, ct);
        if (held is null)
        {
            await bus.ScheduleAsync(command, TicketStatusRelay.Coalesce);
            return;
        }

        TaskStatusHistory? history;
        TicketProvider? provider = null;
        await using (var query = store.QuerySession())
        {
            history = await TaskStatusHistory.LoadAsync(query, command.TaskId, ct);
            if (history?.Task is { ProviderId: { } providerId }) provider = await query.LoadAsync<TicketProvider>(providerId, ct);
        }
        if (history?.Task.Ticket is not { } ticket || provider is not { Enabled: true, PublishesStatus: true }) return;
        var status = TicketStatus.Of(history.Task);
        var previous = history.Published.GetValueOrDefault(ticket.Key.Value);
        if (previous is not null && previous.Status == status.State && previous.Detail == status.Detail) return;

        try
        {
            var published = await writers.Single(w => w.Source == ticket.Source).PublishAsync(provider, ticket, status, previous, command.TaskId, ct);
            await writer.DecideAsync(command.TaskId, null, _ => Decision.Accept(published), ct);
        }
        catch (Exception e) when (RateLimitedFor(e) is { } wait)
        {
            logger.LogWarning("Showing task {Task}'s status on {Ticket} is rate limited; trying again in {Wait}", command.TaskId, ticket.Identifier, wait);
            await bus.ScheduleAsync(command, wait);
        }
        catch (Exception e) when (e is not OperationCanceledException && envelope.Attempts > options.Value.RetryDelays.Count)
        {
            logger.LogWarning(e, "Showing task {Task}'s status on {Ticket} failed after {Attempts} attempts", command.TaskId, ticket.Identifier, envelope.Attempts);
            await writer.DecideAsync(command.TaskId, null, _ => Decision.Accept(new TicketStatusPublishFailed(ticket, status.State, e.Message, envelope.Attempts)), ct);
        }
    }

    static TimeSpan? RateLimitedFor(Exception e) => e switch
    {
        GitHubRateLimitedException github => github.RetryAfter,
        LinearRateLimitedException linear => linear.RetryAfter ?? TimeSpan.FromSeconds(60),
        _ => null,
    };
}

/// <summary>A task as it is now, and what the last successful publish showed on each of its tickets.</summary>
public sealed record TaskStatusHistory(OptioTask Task, IReadOnlyDictionary<string, TicketStatusPublished> Published)
{
    public static async Task<TaskStatusHistory?> LoadAsync(IQuerySession query, Guid taskId, CancellationToken ct)
    {
        var events = await query.Events.FetchStreamAsync(taskId, token: ct);
        if (events.Count == 0 || !TaskEvents.StartsATask(events[0].Data)) return null;
        var task = OptioTask.Begin(taskId, events[0].Data);
        var published = new Dictionary<string, TicketStatusPublished>();
        foreach (var e in events.Skip(1))
        {
            task = task.When(e.Data);
            if (e.Data is TicketStatusPublished p) published[p.Ticket.Key.Value] = p;
        }
        return new(task, published);
    }
}
