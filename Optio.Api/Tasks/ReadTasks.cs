using JasperFx.Events;
using Marten;
using Wolverine.Http;
using Optio.Api.Core.Audit;
using Optio.Api.Core.Http;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tasks;

/// <summary>One stored event of a task, for audit.</summary>
/// <param name="Actor">Who caused it: <c>api:&lt;key name&gt;</c>, <c>github-webhook:&lt;delivery&gt;</c>, <c>sync:&lt;provider&gt;:&lt;run&gt;</c>, <c>pr-poll:&lt;cycle&gt;</c>, <c>lease-sweep</c>, <c>close-back</c>…</param>
/// <param name="Cause">Why: the request id, the webhook event, the sync trigger, the event that asked for it.</param>
public sealed record TaskEventView(long Version, long Sequence, string Type, object Data, DateTimeOffset Timestamp, string? CorrelationId, string? CausationId,
    string? Actor, string? Cause)
{
    public static TaskEventView Of(IEvent e)
    {
        var (actor, cause) = ActorHeaders.Of(e);
        return new(e.Version, e.Sequence, e.EventTypeName, e.Data, e.Timestamp, e.CorrelationId, e.CausationId, actor, cause);
    }
}

/// <summary>The task list, one task, a task as it was, and its history.</summary>
public static class ReadTasksEndpoints
{
    public const int MaxPageSize = 200;

    [ApiResponses(200, 400)]
    [WolverineGet("/api/tasks")]
    public static async Task<IResult> List(IQuerySession session, HttpContext http,
        string? state, string? source, string? repo, int? page, int? pageSize, int? limit)
    {
        if (limit is not null && pageSize is not null) return Problems.BadRequest("'limit' is another name for 'pageSize': send one of them.");
        pageSize ??= limit;
        var query = session.Query<TaskSummary>().AsQueryable();
        if (state is not null)
        {
            if (!TaskTransitions.TryParseWireName(state, out var s))
                return Problems.BadRequest($"'state' must be one of {string.Join(", ", Enum.GetValues<TaskState>().Select(x => x.WireName()))}; got '{state}'.");
            query = query.Where(x => x.State == s);
        }
        if (source is not null)
        {
            if (source is not (TicketSource.Manual or TicketSource.GitHub or TicketSource.Linear))
                return Problems.BadRequest($"'source' must be one of manual, github, linear; got '{source}'.");
            query = query.Where(x => x.Source == source);
        }
        if (repo is not null)
        {
            if (!GitHubUrl.TryParseRepo(repo, out var wanted, out var error))
                return Problems.BadRequest($"'repo': {error}");
            var normalised = wanted.RepoUrl;
            query = query.Where(x => x.RepoUrl == normalised);
        }
        var number = page ?? 1;
        var size = pageSize ?? 50;
        if (number < 1) return Problems.BadRequest("'page' starts at 1.");
        if (size is < 1 or > MaxPageSize) return Problems.BadRequest($"'pageSize' must be between 1 and {MaxPageSize}.");

        // One row more than the page says whether another page follows, without counting every match.
        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.Id)
            .Skip((number - 1) * size).Take(size + 1).ToListAsync(http.RequestAborted);
        return Results.Ok(new TaskPage(rows.Take(size).Select(TaskView.From).ToList(), number, size, rows.Count > size));
    }

    /// <summary>The task now, or as it was at <paramref name="version"/> or at time <paramref name="at"/>.</summary>
    [ApiResponses(200, 400, 404)]
    [WolverineGet("/api/tasks/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http, long? version, DateTimeOffset? at)
    {
        if (version is < 1) return Problems.BadRequest("'version' starts at 1.");
        if (version is not null && at is not null) return Problems.BadRequest("Ask for a 'version' or a point in time 'at', not both.");

        TaskSummary? task;
        if (version is null && at is null)
        {
            task = await session.LoadAsync<TaskSummary>(id, http.RequestAborted);
        }
        else
        {
            var stream = await session.Events.FetchStreamStateAsync(id, http.RequestAborted);
            if (stream is not null && version > stream.Version) return Problems.VersionNotYet(id, version.Value, stream.Version);
            var events = await session.Events.FetchStreamAsync(id, version ?? 0, at, token: http.RequestAborted);
            task = Replay(id, events);
            if (task is null && at is not null && stream is not null
                && Replay(id, await session.Events.FetchStreamAsync(id, 1, token: http.RequestAborted)) is { } born)
                return Problems.NotYetCreated(id, at.Value, born.CreatedAt);
        }
        if (task is null) return Problems.NotFound($"Task {id}");
        http.Response.Headers.ETag = $"\"{task.Version}\"";
        return Results.Ok(TaskView.From(task));
    }

    [ApiResponses(200, 404)]
    [WolverineGet("/api/tasks/{id}/events")]
    public static async Task<IResult> Events(Guid id, IQuerySession session, HttpContext http)
    {
        var events = await session.Events.FetchStreamAsync(id, token: http.RequestAborted);
        if (events.Count == 0) return Problems.NotFound($"Task {id}");
        return Results.Ok(events.Select(TaskEventView.Of).ToList());
    }

    static readonly TaskSummaryProjection Projection = new();

    /// <summary>Folds events with the same projection as the live list, so history and list agree.</summary>
    internal static TaskSummary? Replay(Guid id, IReadOnlyList<IEvent> events) =>
        events.Aggregate((TaskSummary?)null, (row, e) => Projection.Evolve(row, id, e));
}
