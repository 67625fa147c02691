using Marten;
using Optio.Api.Tasks;
using Optio.Domain.PullRequests;
using Optio.Projections.TaskList;

namespace Optio.Api.PullRequests;

/// <summary>A pull request as GitHub shows it, however it was seen (a webhook payload or a poll).</summary>
public sealed record SeenPullRequest(string Url, string Owner, string Repo, string HeadRef, string? Body)
{
    public Guid? TaskOfBranch => TaskBranch.TryParse(HeadRef, out var id) ? id : null;
}

/// <summary>Which task a pull request belongs to: the one for both the GitHub webhook and the poller.</summary>
public static class PullRequestOwner
{
    /// <summary>The task that reported the PR, else the one its <c>optio/&lt;taskId&gt;</c> branch names, else the task of an issue it closes.</summary>
    public static async Task<Guid?> TaskOfAsync(IQuerySession session, SeenPullRequest pr, CancellationToken ct)
    {
        var reported = await session.Query<TaskSummary>().Where(x => x.PrUrl == pr.Url).Select(x => x.Id).FirstOrDefaultAsync(ct);
        if (reported != Guid.Empty) return reported;

        if (pr.TaskOfBranch is { } fromBranch && await session.LoadAsync<TaskSummary>(fromBranch, ct) is not null)
            return fromBranch;

        foreach (var key in ClosingKeywords.IssuesClosedBy(pr.Body, pr.Owner, pr.Repo))
            if (await session.LoadAsync<TicketAlias>(key.Value, ct) is { } alias) return alias.TaskId;
        return null;
    }
}
