using Marten;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Domain.PullRequests;
using Optio.Domain.Repos;
using Optio.Projections.TaskList;

namespace Optio.Api.PullRequests;

/// <summary>
/// Finds the pull requests of ticket-born tasks running without one, with no webhook needed: per repository, one
/// conditional list of its open pull requests (a 304 when nothing changed), each PR matched to its task by the
/// rule the webhook uses (<see cref="PullRequestOwner"/>): the <c>optio/&lt;taskId&gt;</c> branch, or a closing
/// keyword naming the task's ticket.
/// </summary>
public sealed class TicketPullRequestFinder(
    IDocumentStore store,
    GitHubPullRequests pulls,
    GitHubAccess access,
    TaskWriter writer,
    ILogger<TicketPullRequestFinder> logger)
{
    const int OpenPullRequestsRead = 100;

    /// <summary>Links each waiting task to the open PR that names it; returns how many got linked.</summary>
    public async Task<int> LinkAsync(IReadOnlyList<TaskSummary> waiting, CancellationToken ct)
    {
        var linked = 0;
        foreach (var repo in waiting.Where(t => t.RepoUrl is not null).GroupBy(t => t.RepoUrl!))
        {
            if (GitHubUrl.Repo(repo.Key) is not { Owner: var owner, Name: var name }) continue;
            try
            {
                linked += await LinkInRepoAsync(owner, name, repo.Select(t => t.Id).ToHashSet(), ct);
            }
            catch (Exception e) when (e is GitHubApiException or GitHubRateLimitedException)
            {
                logger.LogWarning("Could not look for the pull requests of {Repo}: {Error}", repo.Key, e.Message);
            }
        }
        return linked;
    }

    async Task<int> LinkInRepoAsync(string owner, string name, IReadOnlySet<Guid> waiting, CancellationToken ct)
    {
        var open = await pulls.ListOpenAsync(await access.ForRepoAsync(owner, name, ct), owner, name, OpenPullRequestsRead, ct);
        var linked = 0;
        await using var session = store.QuerySession();
        foreach (var pr in open)
        {
            if (!GitHubUrl.TryParsePullRequest(pr.HtmlUrl, out var url, out _)) continue;
            var seen = new SeenPullRequest(url.ToString(), owner, name, pr.Head.Ref, pr.Body);
            // A waiting task has reported no PR, so only a PR naming a task can be its: the others cost no lookups.
            if (seen.TaskOfBranch is null && ClosingKeywords.IssuesClosedBy(seen.Body, owner, name).Count == 0) continue;
            if (await PullRequestOwner.TaskOfAsync(session, seen, ct) is { } taskId && waiting.Contains(taskId)
                && await writer.DecideAsync(taskId, null, t => t.LinkFoundPr(seen.Url), ct) is WriteOutcome.Written { Appended: > 0 })
                linked++;
        }
        return linked;
    }
}
