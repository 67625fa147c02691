using Marten;
using Wolverine;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Repos;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Domain.Repos;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Issues;

/// <summary>Either <c>{issueUrl, repoUrl?}</c> or <c>{issueNumber, repoId, title?, body?, agentType?}</c>.</summary>
public sealed record AssignIssue(string? IssueUrl, string? RepoUrl, int? IssueNumber, Guid? RepoId, string? Title, string? Body, string? AgentType);

/// <summary>
/// <c>POST /api/issues/assign</c>: a GitHub issue becomes a queued task (201), or the task it
/// already has is returned unchanged (200). A new assignment is announced on the issue (a comment
/// with the task id, and the purple <c>optio</c> label) through the durable queue.
/// </summary>
public static class AssignIssueEndpoint
{
    [ApiResponses(200, 201, 400, 404, 409, 502, 504)]
    [ApiExample(typeof(AssignIssueExample))]
    [WolverinePost("/api/issues/assign")]
    public static async Task<IResult> Post(AssignIssue body, IQuerySession session, GitHubIssues github, GitHubAccess access,
        TicketImporter importer, IMessageBus bus, HttpContext http)
    {
        var ct = http.RequestAborted;
        string owner, name;
        int number;
        if (body.IssueUrl is not null)
        {
            if (GitHubUrl.Issue(body.IssueUrl) is not { } issueUrl)
                return Problems.BadRequest($"'issueUrl': '{body.IssueUrl}' is not a GitHub issue URL (https://github.com/owner/repo/issues/42).");
            (owner, name, number) = (issueUrl.Owner, issueUrl.Name, issueUrl.Number);
            if (body.RepoUrl is not null && (GitHubUrl.Repo(body.RepoUrl) is not { } given || !given.RepoUrl.EndsWith($"/{owner}/{name}", StringComparison.Ordinal)))
                return Problems.BadRequest($"'repoUrl' {body.RepoUrl} is not the repository of the issue ({owner}/{name}).");
        }
        else if (body.IssueNumber is { } n && body.RepoId is { } repoId)
        {
            if (n < 1) return Problems.BadRequest("'issueNumber' starts at 1.");
            if (await session.LoadAsync<ConnectedRepo>(repoId, ct) is not { } repo) return Problems.NotFound($"Repo {repoId}");
            (owner, name, number) = (repo.Owner, repo.Name, n);
        }
        else
        {
            return Problems.BadRequest("Send either 'issueUrl' (and optionally 'repoUrl'), or 'issueNumber' with 'repoId'.");
        }

        var settings = await access.ForRepoAsync(owner, name, ct);
        var issue = await github.GetIssueAsync(settings, owner, name, number, ct);
        if (issue is null) return Problems.NotFound($"GitHub issue {owner}/{name}#{number}");
        if (issue.PullRequest is not null) return Problems.BadRequest($"{owner}/{name}#{number} is a pull request, not an issue.");

        var ticket = IssueTicket.From(owner, name, issue);
        ticket = ticket with
        {
            Title = string.IsNullOrWhiteSpace(body.Title) ? ticket.Title : body.Title.Trim(),
            Prompt = body.Body ?? ticket.Prompt,
            Metadata = ticket.Metadata with { AgentType = body.AgentType },
        };
        var result = await importer.ImportAsync([ticket], providerId: null, ct);
        var taskId = result.TaskIds.Single();
        var task = await session.LoadAsync<TaskSummary>(taskId, ct);
        if (result.Imported == 0) return Results.Ok(TaskView.From(task!));

        await bus.SendAsync(new AnnounceAssignment(taskId, owner, name, number));
        return Results.Created($"/api/tasks/{taskId}", TaskView.From(task!));
    }
}
