using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Optio.Api.Core;
using Optio.Api.Core.Audit;
using Optio.Api.Core.Database;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Domain.PullRequests;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Api.PullRequests;

/// <summary>
/// Every <c>Optio:PullRequests:PollInterval</c> (default 30 s): looks for the PR of running tasks that have not
/// reported one (those born from tickets through <see cref="TicketPullRequestFinder"/>, the others by their head
/// branch <c>optio/&lt;taskId&gt;</c>), then follows the PR of each task in pr_opened or needs_attention. One node
/// of a cluster runs the cycle (<see cref="PeriodicAgent"/>), one poll per task at a time (an advisory lock, as
/// webhook-triggered polls run anywhere); decisions are idempotent, so the webhook and the poller never double-apply.
/// </summary>
public sealed class PullRequestPoller(
    IDocumentStore store,
    NpgsqlDataSource database,
    GitHubPullRequests pulls,
    GitHubAccess access,
    PolledResponseCache responses,
    FollowedPullRequests followed,
    TicketPullRequestFinder finder,
    TaskWriter writer,
    TimeProvider clock,
    IOptions<PullRequestsOptions> options,
    ILogger<PullRequestPoller> logger)
    : PeriodicAgent("optio-pull-request-poll", options.Value.PollInterval, runAtStart: false, clock, logger)
{
    const int PollLockSpace = 0x0971_0002;

    const int Parallelism = 8;
    const int RecentlyUpdatedRead = 100;

    protected override Task RunOnceAsync(CancellationToken ct) => PollAllAsync(ct);

    /// <summary>One cycle over every tracked task; returns how many tasks changed.</summary>
    public async Task<int> PollAllAsync(CancellationToken ct)
    {
        using var actor = Actors.ActAs(Actor.PrPoll(NewCycle(), "every " + Interval));
        IReadOnlyList<TaskSummary> waiting;
        await using (var query = store.QuerySession())
            waiting = await query.Query<TaskSummary>()
                .Where(x => x.State == TaskState.Running && x.PrUrl == null && x.RepoUrl != null).ToListAsync(ct);
        waiting = waiting.Where(t => t.ToTask().AwaitsPullRequest()).ToList();
        // A task born from a ticket is found through its repository's open PRs (one conditional list per repository),
        // so only the others are looked up one by one by their branch.
        var linked = await finder.LinkAsync(waiting.Where(t => t.TicketKey is not null).ToList(), ct);
        var byBranch = waiting.Where(t => t.TicketKey is null).Select(t => t.Id).ToList();

        IReadOnlyList<TaskSummary> following;
        await using (var query = store.QuerySession())
            following = await query.Query<TaskSummary>()
                .Where(x => x.State == TaskState.PrOpened || x.State == TaskState.NeedsAttention).ToListAsync(ct);
        var tracked = following.Select(t => t.Id).ToHashSet();
        // Catches the tasks that stopped following a PR elsewhere (a webhook saw the merge, someone cancelled).
        responses.KeepOnlyTasks(tracked.Concat(byBranch).ToHashSet());
        followed.KeepOnly(tracked);
        var toRead = await ChangedAsync(following, ct);
        var changed = linked;
        await Parallel.ForEachAsync(toRead.Concat(byBranch), new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
            async (id, token) =>
            {
                try
                {
                    if (await PollTaskAsync(id, token)) Interlocked.Increment(ref changed);
                }
                catch (Exception e) when (e is GitHubApiException or GitHubRateLimitedException)
                {
                    Logger.LogWarning("Could not poll the pull request of task {Task}: {Error}", id, e.Message);
                }
            });
        return changed;
    }

    /// <summary>
    /// The followed tasks whose PR must be read this cycle (<see cref="FollowedPullRequests"/>): per repository, one
    /// conditional list of its most recently updated PRs. A repository whose list cannot be read has all its PRs read.
    /// </summary>
    async Task<IReadOnlyList<Guid>> ChangedAsync(IReadOnlyList<TaskSummary> following, CancellationToken ct)
    {
        var toRead = new List<Guid>();
        var prs = following.Select(t => (t.Id, Pr: GitHubUrl.TryParsePullRequest(t.PrUrl, out var pr, out _) ? pr : null)).ToList();
        toRead.AddRange(prs.Where(p => p.Pr is null).Select(p => p.Id)); // no PR URL to follow: PollTaskAsync says so
        foreach (var repo in prs.Where(p => p.Pr is not null).GroupBy(p => (p.Pr!.Owner, p.Pr.Name)))
        {
            var tasks = repo.Select(p => (p.Id, p.Pr!.Number)).ToList();
            try
            {
                var recent = await pulls.ListRecentlyUpdatedAsync(await access.ForRepoAsync(repo.Key.Owner, repo.Key.Name, ct),
                    repo.Key.Owner, repo.Key.Name, RecentlyUpdatedRead, ct);
                toRead.AddRange(followed.ToRead(tasks, recent, RecentlyUpdatedRead));
            }
            catch (Exception e) when (e is GitHubApiException or GitHubRateLimitedException)
            {
                Logger.LogWarning("Could not list the pull requests of {Owner}/{Repo}, reading each: {Error}", repo.Key.Owner, repo.Key.Name, e.Message);
                toRead.AddRange(tasks.Select(t => t.Id));
            }
        }
        return toRead;
    }

    /// <summary>A poll cycle's name in the audit trail: when it started (UTC), unique enough and readable.</summary>
    string NewCycle() => Clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmss.fff'Z'");

    /// <summary>Reads the task's PR (finding it by branch if the runner has not reported it) and applies what changed.</summary>
    public async Task<bool> PollTaskAsync(Guid taskId, CancellationToken ct, string? requestedBy = null)
    {
        // A poll of its own (asked for by a webhook) is a cycle of one task; within a cycle the cycle's actor holds.
        using var actor = Actors.Current is { Name: var name } && name.StartsWith("pr-poll:") ? null : Actors.ActAs(Actor.PrPoll(NewCycle(), requestedBy));
        await using var held = await AdvisoryLock.TryAcquireAsync(database, PollLockSpace, taskId, ct);
        if (held is null) return false;
        using var ownPages = responses.ForTask(taskId);
        TaskSummary? row;
        await using (var query = store.QuerySession())
            row = await query.LoadAsync<TaskSummary>(taskId, ct);
        if (row is null) return false;

        var appended = 0;
        if (row.ToTask().AwaitsPullRequest() && GitHubUrl.Repo(row.RepoUrl) is { Owner: var owner, Name: var repo })
        {
            var settings = await access.ForRepoAsync(owner, repo, ct);
            if (await pulls.FindByBranchAsync(settings, owner, repo, TaskBranch.For(taskId), ct) is not { } found) return false;
            if (!GitHubUrl.TryParsePullRequest(found.HtmlUrl, out var foundUrl, out _)) return false;
            appended += Appended(await writer.DecideAsync(taskId, null, t => t.LinkFoundPr(foundUrl.ToString()), ct));
            row = row with { PrUrl = foundUrl.ToString() };
        }
        if (row.PrUrl is not { } prUrl || !GitHubUrl.TryParsePullRequest(prUrl, out var pr, out _)) return appended > 0;

        var read = await pulls.ReadAsync(await access.ForRepoAsync(pr.Owner, pr.Name, ct), pr, ct);
        appended += Appended(await writer.DecideAsync(taskId, null, t => t.Observe(read.Observation), ct));
        followed.Remember(taskId, pr.Number, read);
        if (!read.Observation.Open) responses.ForgetTask(taskId);
        return appended > 0;
    }

    static int Appended(WriteOutcome outcome) => outcome is WriteOutcome.Written w ? w.Appended : 0;

}

/// <summary>Poll one task's pull request now (a GitHub webhook said something changed).</summary>
/// <param name="RequestedBy">Who asked (the actor of the webhook delivery), recorded as the poll's cause.</param>
public sealed record PollPullRequest(Guid TaskId, string? RequestedBy = null);

public static class PollPullRequestHandler
{
    public static Task Handle(PollPullRequest command, PullRequestPoller poller, CancellationToken ct) =>
        poller.PollTaskAsync(command.TaskId, ct, command.RequestedBy);
}
