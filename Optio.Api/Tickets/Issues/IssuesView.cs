using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Repos;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Issues;

public sealed record IssueView(
    int Number, string Title, string Repo, string RepoUrl, string Url, IReadOnlyList<string> Labels, Guid? TaskId, TaskState? TaskState);

public sealed record IssuePage(IReadOnlyList<IssueView> Items, int Page, int PageSize, long Total);

/// <summary><c>GET /api/issues</c>: open GitHub issues of the connected repos, those without a task first.</summary>
public static class IssuesView
{
    const int MaxPagesPerRepo = 10;

    [ApiResponses(200, 400, 404, 409, 502, 504)]
    [WolverineGet("/api/issues")]
    public static async Task<IResult> Get(IQuerySession session, GitHubIssues github, GitHubAccess access, HttpContext http,
        string? repo, int? page, int? pageSize)
    {
        var (number, size) = (page ?? 1, pageSize ?? 50);
        if (number < 1 || size is < 1 or > 200) return Problems.BadRequest("'page' starts at 1 and 'pageSize' is 1–200.");
        var ct = http.RequestAborted;
        var repos = await session.Query<ConnectedRepo>().OrderBy(x => x.Url).ToListAsync(ct);
        if (repo is not null)
        {
            if (!GitHubUrl.TryParseRepo(repo.Contains("://") ? repo : $"https://github.com/{repo}", out var wantedUrl, out var error))
                return Problems.BadRequest($"'repo': {error}");
            repos = repos.Where(r => r.Url == wantedUrl.RepoUrl || $"{r.Owner}/{r.Name}" == repo.ToLowerInvariant()).ToList();
            if (repos.Count == 0) return Problems.NotFound($"Connected repo '{repo}'");
        }

        var issues = new List<(ConnectedRepo Repo, Octokit.Issue Issue)>();
        foreach (var r in repos)
        {
            var settings = await access.ForRepoAsync(r.Owner, r.Name, ct);
            issues.AddRange((await github.ListOpenIssuesAsync(settings, r.Owner, r.Name, MaxPagesPerRepo, ct)).Select(i => (r, i)));
        }

        var keys = issues.Select(x => TicketKey.GitHub(x.Repo.Owner, x.Repo.Name, x.Issue.Number).Value).ToArray();
        var aliases = (await session.LoadManyAsync<TicketAlias>(ct, keys)).ToDictionary(a => a.Id, a => a.TaskId);
        var tasks = (await session.LoadManyAsync<TaskSummary>(ct, aliases.Values.Distinct().ToArray())).ToDictionary(t => t.Id);

        var views = issues.Select(x =>
            {
                var taskId = aliases.TryGetValue(TicketKey.GitHub(x.Repo.Owner, x.Repo.Name, x.Issue.Number).Value, out var id) ? id : (Guid?)null;
                return new IssueView(x.Issue.Number, x.Issue.Title, $"{x.Repo.Owner}/{x.Repo.Name}", x.Repo.Url, x.Issue.HtmlUrl,
                    x.Issue.Labels.Select(l => l.Name).ToList(), taskId, taskId is { } t && tasks.TryGetValue(t, out var row) ? row.State : null);
            })
            .OrderBy(v => v.TaskId is not null)
            .ThenBy(v => v.Repo).ThenByDescending(v => v.Number)
            .ToList();
        return Results.Ok(new IssuePage(views.Skip((number - 1) * size).Take(size).ToList(), number, size, views.Count));
    }
}
