using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tasks;

/// <param name="Priority">On Linear's scale (<see cref="TaskPriority"/>): 1 urgent … 4 low, 0 none.</param>
public sealed record CreateTask(string? Title, string? Prompt, string? RepoUrl, int? Priority = null);

/// <summary><c>POST /api/tasks</c>: a manual task, queued at once.</summary>
public static class CreateTaskEndpoint
{
    public static ProblemDetails Validate(CreateTask command)
    {
        if (string.IsNullOrWhiteSpace(command.Title)) return Problems.Invalid("'title' is required.");
        if (string.IsNullOrWhiteSpace(command.Prompt)) return Problems.Invalid("'prompt' is required: what should the agent do?");
        if (command.RepoUrl is not null && !GitHubUrl.TryParseRepo(command.RepoUrl, out _, out var error))
            return Problems.Invalid($"'repoUrl': {error}");
        if (command.Priority is { } priority && !TaskPriority.IsValid(priority))
            return Problems.Invalid($"'priority' must be {TaskPriority.Scale}; got {priority}.");
        return WolverineContinue.NoProblems;
    }

    [ApiResponses(201, 400)]
    [ApiExample(typeof(CreateTaskExample))]
    [WolverinePost("/api/tasks")]
    public static async Task<IResult> Post(CreateTask command, TaskWriter writer, HttpContext http)
    {
        var repo = GitHubUrl.Repo(command.RepoUrl)?.RepoUrl;
        var id = Guid.CreateVersion7();
        await using var session = writer.OpenSession();
        // The inline projection leaves the new row in the session, so answering costs no read after the save.
        session.UseIdentityMapFor<TaskSummary>();
        session.Events.StartStream<OptioTask>(id, new TaskCreated(command.Title!.Trim(), command.Prompt!, repo, command.Priority), new TaskQueued());
        OptioMetrics.TasksCreated.Add(1);
        await session.SaveChangesAsync(http.RequestAborted);
        var summary = await session.LoadAsync<TaskSummary>(id, http.RequestAborted);
        http.Response.Headers.ETag = $"\"{summary!.Version}\"";
        return Results.Created($"/api/tasks/{id}", TaskView.From(summary));
    }
}
