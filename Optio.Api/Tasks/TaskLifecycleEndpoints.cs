using Microsoft.AspNetCore.Mvc;
using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Repos;
using Optio.Domain.Repos;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tasks;

public sealed record Heartbeat(string? RunnerId, int? LeaseSeconds);
public sealed record StartTask(string? RunnerId);
public sealed record ReportPr(string? PrUrl);
public sealed record FailTask(string? Reason);
public sealed record CancelTask(string? Reason);
public sealed record RetryTask(string? Reason);

/// <summary>What an agent runner (or an operator) reports about a task it works on.</summary>
public static class TaskLifecycleEndpoints
{

    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePost("/api/tasks/{id}/heartbeat")]
    public static Task<IResult> Heartbeat(Guid id, Heartbeat body, TaskWriter writer, TimeProvider clock, HttpContext http) =>
        Lease.TryRead(body.LeaseSeconds, out var lease, out var error) is false ? Task.FromResult(Problems.BadRequest(error!))
        : string.IsNullOrWhiteSpace(body.RunnerId) ? Task.FromResult(Problems.BadRequest("'runnerId' is required: the runner holding the lease."))
        : TaskCommandEndpoint.RunAsync(http, writer, id, t => t.Heartbeat(body.RunnerId, lease, clock.GetUtcNow()));

    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePost("/api/tasks/{id}/start")]
    public static Task<IResult> Start(Guid id, StartTask? body, TaskWriter writer, HttpContext http) =>
        TaskCommandEndpoint.RunAsync(http, writer, id, t => t.Start(body?.RunnerId));

    /// <summary>The PR must be in a connected repository, one a GitHub provider watches, or the task's own.</summary>
    [ApiResponses(200, 400, 404, 409, 412)]
    [ApiExample(typeof(ReportPrExample))]
    [WolverinePost("/api/tasks/{id}/pr")]
    public static async Task<IResult> ReportPr(Guid id, ReportPr body, TaskWriter writer, KnownRepos known, IQuerySession session, HttpContext http)
    {
        if (!GitHubUrl.TryParsePullRequest(body.PrUrl, out var pr, out var error)) return Problems.BadRequest($"'prUrl': {error}");
        var (owner, name) = (pr.Owner, pr.Name);
        if (!await known.ContainsAsync(session, owner, name, http.RequestAborted))
        {
            var task = await session.LoadAsync<TaskSummary>(id, http.RequestAborted);
            if (task is null) return Problems.NotFound($"Task {id}");
            if (GitHubUrl.Repo(task.RepoUrl) is not { } taskRepo || (taskRepo.Owner, taskRepo.Name) != (owner, name))
                return Problems.BadRequest($"'prUrl': {owner}/{name} is not a connected repository (POST /api/repos) nor the task's repository.");
        }
        return await TaskCommandEndpoint.RunAsync(http, writer, id, t => t.OpenPr(pr.ToString()));
    }

    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePost("/api/tasks/{id}/fail")]
    public static Task<IResult> Fail(Guid id, FailTask body, TaskWriter writer, HttpContext http) =>
        Reason(body.Reason, required: true) is { } problem ? Task.FromResult(problem)
        : TaskCommandEndpoint.RunAsync(http, writer, id, t => t.Fail(body.Reason!.Trim()));

    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePost("/api/tasks/{id}/cancel")]
    public static Task<IResult> Cancel(Guid id, CancelTask? body, TaskWriter writer, HttpContext http) =>
        Reason(body?.Reason, required: false) is { } problem ? Task.FromResult(problem)
        : TaskCommandEndpoint.RunAsync(http, writer, id, t => t.Cancel(body?.Reason?.Trim() ?? "cancelled by request"));

    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePost("/api/tasks/{id}/retry")]
    public static Task<IResult> Retry(Guid id, RetryTask? body, TaskWriter writer, HttpContext http) =>
        Reason(body?.Reason, required: false) is { } problem ? Task.FromResult(problem)
        : TaskCommandEndpoint.RunAsync(http, writer, id, t => t.Retry(body?.Reason?.Trim() ?? "retry requested"));

    static IResult? Reason(string? reason, bool required) =>
        required && string.IsNullOrWhiteSpace(reason) ? Problems.BadRequest("'reason' is required: say why, for whoever reads the task later.")
        : null;
}

/// <summary>How long a claim holds without a heartbeat.</summary>
public static class Lease
{
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(5);
    public const int MaxSeconds = 86_400;

    public static bool TryRead(int? seconds, out TimeSpan lease, out string? error)
    {
        lease = seconds is null ? Default : TimeSpan.FromSeconds(seconds.Value);
        error = seconds is < 1 or > MaxSeconds ? $"'leaseSeconds' must be between 1 and {MaxSeconds}." : null;
        return error is null;
    }
}
