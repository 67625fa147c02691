using System.Collections.Concurrent;
using Octokit;
using Optio.Api.Integrations.GitHub;

namespace Optio.Api.PullRequests;

/// <summary>
/// What the poller remembers of each followed pull request: its <c>updated_at</c> and whether its CI was still running
/// when last read. A PR's <c>updated_at</c> moves with pushes, reviews, merges and closes, but not with CI, so from the
/// repository's most recently updated PRs (one conditional request per repository, a 304 when none changed) it tells
/// which PRs must be read again: those that changed, those whose CI was running, and those it knows nothing of.
/// Kept in memory by the node that polls: a node taking the poll over reads every PR once.
/// </summary>
public sealed class FollowedPullRequests
{
    sealed record Seen(int Number, DateTimeOffset UpdatedAt, bool CiRunning);

    readonly ConcurrentDictionary<Guid, Seen> _seen = new();

    public void Remember(Guid taskId, int number, PullRequestRead read)
    {
        if (read.Observation.Open) _seen[taskId] = new Seen(number, read.UpdatedAt, read.CiRunning);
        else _seen.TryRemove(taskId, out _);
    }

    /// <summary>Forgets the tasks that no longer follow a PR (merged, cancelled, or moved on elsewhere).</summary>
    public void KeepOnly(IReadOnlySet<Guid> taskIds)
    {
        foreach (var id in _seen.Keys.Where(id => !taskIds.Contains(id))) _seen.TryRemove(id, out _);
    }

    /// <param name="followed">The tasks following a PR of one repository, with the PR's number.</param>
    /// <param name="recent">That repository's most recently updated PRs, newest first.</param>
    /// <param name="pageSize">How many <paramref name="recent"/> was asked for: a full page may leave changed PRs out.</param>
    public IEnumerable<Guid> ToRead(IEnumerable<(Guid TaskId, int Number)> followed, IReadOnlyList<PullRequest> recent, int pageSize)
    {
        var updated = recent.ToDictionary(p => p.Number, p => p.UpdatedAt);
        var oldestListed = recent.Count > 0 ? recent.Min(p => p.UpdatedAt) : DateTimeOffset.MaxValue;
        foreach (var (taskId, number) in followed)
        {
            if (!_seen.TryGetValue(taskId, out var seen) || seen.Number != number || seen.CiRunning) yield return taskId;
            else if (updated.TryGetValue(number, out var at)) { if (at != seen.UpdatedAt) yield return taskId; }
            // Not listed: unchanged, unless the page was full and ends after the PR's last known update.
            else if (recent.Count < pageSize || oldestListed > seen.UpdatedAt) yield return taskId;
        }
    }
}
