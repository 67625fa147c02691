using Octokit;
using Optio.Domain.PullRequests;
using Optio.Domain.Repos;

namespace Optio.Api.Integrations.GitHub;

/// <summary>
/// Reads what a pull request looks like now: open, merged or closed; failing check runs and commit
/// statuses of its head; reviewers whose latest review requests changes. Every read is a
/// conditional request, so an unchanged PR costs 304s and no rate limit.
/// </summary>
public sealed class GitHubPullRequests(GitHubIssues github, TimeProvider clock)
{
    static readonly HashSet<string> FailedConclusions = ["failure", "timed_out", "cancelled", "action_required", "startup_failure", "stale"];

    public Task<PullRequestRead> ReadAsync(GitHubSettings settings, GitHubUrl pr, CancellationToken ct)
    {
        var (owner, repo) = (pr.Owner, pr.Name);
        var client = github.Client(settings);
        return GitHubErrors.Guard($"pull request {owner}/{repo}#{pr.Number}", clock, ct, async () =>
        {
            var pull = await client.PullRequest.Get(owner, repo, pr.Number).WaitAsync(ct);
            if (pull.Merged || pull.State.StringValue == "closed")
                return new PullRequestRead(new PrObservation(pr.ToString(), false, pull.Merged), pull.UpdatedAt, CiRunning: false);

            var sha = pull.Head.Sha;
            var runs = await client.Check.Run.GetAllForReference(owner, repo, sha).WaitAsync(ct);
            var status = await client.Repository.Status.GetCombined(owner, repo, sha).WaitAsync(ct);
            var reviews = await client.PullRequest.Review.GetAll(owner, repo, pr.Number).WaitAsync(ct);

            var failing = runs.CheckRuns.Where(r => r.Conclusion is { } c && FailedConclusions.Contains(c.StringValue)).Select(r => r.Name)
                .Concat(status.Statuses.Where(s => s.State.StringValue is "failure" or "error").Select(s => s.Context))
                .Distinct().Order().ToList();
            // A reviewer's standing is their latest approving, rejecting or dismissed review; comments do not change it.
            var changesRequested = reviews
                .Where(r => r.State.StringValue is "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED")
                .GroupBy(r => r.User.Login)
                .Where(g => g.MaxBy(r => r.SubmittedAt)!.State.StringValue == "CHANGES_REQUESTED")
                .Select(g => g.Key).Order().ToList();
            var ciRunning = runs.CheckRuns.Any(r => r.Status.StringValue != "completed") || (status.TotalCount > 0 && status.State.StringValue == "pending");
            return new PullRequestRead(new PrObservation(pr.ToString(), true, false, failing, changesRequested), pull.UpdatedAt, ciRunning);
        });
    }

    /// <summary>
    /// The repository's open pull requests, newest first, at most <paramref name="max"/>; conditional, so an
    /// unchanged list costs one 304 and no rate limit.
    /// </summary>
    public Task<IReadOnlyList<PullRequest>> ListOpenAsync(GitHubSettings settings, string owner, string repo, int max, CancellationToken ct)
    {
        var client = github.Client(settings);
        return GitHubErrors.Guard($"pull requests of {owner}/{repo}", clock, ct, async () =>
            await client.PullRequest.GetAllForRepository(owner, repo,
                new PullRequestRequest { State = ItemStateFilter.Open }, new ApiOptions { PageSize = max, PageCount = 1 }).WaitAsync(ct));
    }

    /// <summary>
    /// The repository's most recently updated pull requests (open or not), newest first, at most <paramref name="max"/>;
    /// conditional, so when no pull request of the repository changed it costs one 304 and no rate limit.
    /// </summary>
    public Task<IReadOnlyList<PullRequest>> ListRecentlyUpdatedAsync(GitHubSettings settings, string owner, string repo, int max, CancellationToken ct)
    {
        var client = github.Client(settings);
        return GitHubErrors.Guard($"pull requests of {owner}/{repo}", clock, ct, async () =>
            await client.PullRequest.GetAllForRepository(owner, repo,
                new PullRequestRequest { State = ItemStateFilter.All, SortProperty = PullRequestSort.Updated, SortDirection = SortDirection.Descending },
                new ApiOptions { PageSize = max, PageCount = 1 }).WaitAsync(ct));
    }

    /// <summary>The pull request whose head branch is <paramref name="branch"/>, if any (open or closed).</summary>
    public Task<PullRequest?> FindByBranchAsync(GitHubSettings settings, string owner, string repo, string branch, CancellationToken ct)
    {
        var client = github.Client(settings);
        return GitHubErrors.Guard($"pull requests of {owner}/{repo}", clock, ct, async () =>
        {
            var found = await client.PullRequest.GetAllForRepository(owner, repo,
                new PullRequestRequest { Head = $"{owner}:{branch}", State = ItemStateFilter.All }, new ApiOptions { PageSize = 10, PageCount = 1 }).WaitAsync(ct);
            return found.FirstOrDefault();
        });
    }

}

/// <summary>A pull request as read: what it shows, when GitHub last updated it, and whether its CI was still running.</summary>
/// <param name="CiRunning">A check run not completed, or a pending commit status: CI may still change what the PR shows
/// without moving its <paramref name="UpdatedAt"/>.</param>
public sealed record PullRequestRead(PrObservation Observation, DateTimeOffset UpdatedAt, bool CiRunning);
