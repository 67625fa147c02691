using System.Diagnostics;
using Optio.Runner.Agent;
using Optio.Runner.Git;
using Optio.Runner.PullRequests;

namespace Optio.Runner;

/// <summary>How a task's run ended, for the console line: the state the runner left it in, and a word on why.</summary>
internal sealed record Outcome(string State, string Detail);

/// <summary>
/// One claimed task from claim to report: keep the lease, make the working copy, report <c>start</c>, run the agent,
/// then report its pull request (printed, or opened from its commits) or fail the task with the tail of its output.
/// The working copy is removed whatever happens; the log stays.
/// </summary>
internal sealed class TaskRun(RunnerSettings settings, OptioApi api, Workspace workspace, PullRequestOpener opener, SecretMask mask)
{
    const int MaxReason = 4_000; // the service's limit for a reason

    /// <param name="abort">Fires when the runner stops and the grace period is over.</param>
    public async Task<Outcome> RunAsync(ClaimedTask task, CancellationToken abort)
    {
        using var log = new TaskLog(workspace.Logs, task.Id, mask);
        log.Runner($"claimed \"{task.Title}\" ({task.RepoUrl ?? "no repository"}) as runner {settings.RunnerId}");
        WorkingCopy? copy = null;
        await using var lease = new LeaseKeeper(api, task.Id, settings.Lease, log);
        try
        {
            var outcome = await WorkAsync(task, log, lease, c => copy = c, abort);
            log.Runner($"{outcome.State}: {outcome.Detail}");
            return outcome;
        }
        finally
        {
            if (copy is not null) Workspace.Remove(copy.Path);
        }
    }

    async Task<Outcome> WorkAsync(ClaimedTask task, TaskLog log, LeaseKeeper lease, Action<WorkingCopy> made, CancellationToken abort)
    {
        var tail = new OutputTail();
        WorkingCopy copy;
        using (var preparing = CancellationTokenSource.CreateLinkedTokenSource(abort, lease.Lost))
        {
            try
            {
                log.Runner($"preparing the working copy of {task.RepoUrl}");
                copy = await workspace.PrepareAsync(task.Id, task.RepoUrl, preparing.Token);
                made(copy);
            }
            catch (StepFailed e)
            {
                return await FailAsync(task, $"could not prepare the working copy: {e.Message}", tail, lease, log);
            }
            catch (OperationCanceledException)
            {
                return await StoppedAsync(task, lease, tail, log);
            }
        }

        var started = await api.StartAsync(task.Id, CancellationToken.None);
        if (!started.Ok) return new Outcome("not_started", $"the service refused start ({started.Status}): {started.Detail}");
        log.Runner($"started on branch {copy.Branch} from {copy.DefaultBranch} ({copy.BaseCommit[..Math.Min(12, copy.BaseCommit.Length)]}): {settings.Command}");

        using var timeout = new CancellationTokenSource(settings.Timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(abort, lease.Lost, timeout.Token);
        var clock = Stopwatch.StartNew();
        var exit = await AgentProcess.RunAsync(settings.Command, copy.Path, Environment(task, copy), settings.SecretVariables, log, tail, stop.Token);
        log.Runner(exit.ExitCode is { } code ? $"the agent exited with code {code} after {clock.Elapsed.TotalSeconds:0.#} s" : "the agent was stopped");

        if (exit.ExitCode is null)
            return timeout.IsCancellationRequested && !lease.IsLost && !abort.IsCancellationRequested
                ? await FailAsync(task, $"the agent timed out after {Format(settings.Timeout)} (--timeout)", tail, lease, log)
                : await StoppedAsync(task, lease, tail, log);
        if (exit.ExitCode != 0) return await FailAsync(task, $"the agent exited with code {exit.ExitCode}", tail, lease, log);

        try
        {
            if (tail.PullRequestUrl is { } printed) return await ReportAsync(task, printed, "printed by the agent", tail, lease, log);
            if (await workspace.CommitsAsync(copy, CancellationToken.None) is var commits and > 0)
            {
                log.Runner($"pushing {commits} commit(s) on {copy.Branch}");
                await workspace.PushAsync(copy, CancellationToken.None);
                var url = await opener.OpenAsync(task, copy);
                return await ReportAsync(task, url, "opened by the runner", tail, lease, log);
            }
            var reason = await workspace.HasUncommittedChangesAsync(copy, CancellationToken.None)
                ? "the agent made no changes (it left uncommitted ones: an agent must commit its work on the branch)"
                : "the agent made no changes";
            return await FailAsync(task, reason, tail, lease, log);
        }
        catch (StepFailed e)
        {
            return await FailAsync(task, e.Message, tail, lease, log);
        }
    }

    async Task<Outcome> ReportAsync(ClaimedTask task, string prUrl, string how, OutputTail tail, LeaseKeeper lease, TaskLog log)
    {
        log.Runner($"reporting the pull request {prUrl} ({how})");
        var answer = await api.ReportPullRequestAsync(task.Id, prUrl, CancellationToken.None);
        if (answer.Ok) return new Outcome("pr_opened", prUrl);
        if (answer.Status == 400) return await FailAsync(task, $"the service refused the pull request {prUrl}: {answer.Detail}", tail, lease, log);
        return new Outcome("unreported", $"the pull request {prUrl} could not be reported ({answer.Status}): {answer.Detail}");
    }

    /// <summary>Stopped from outside: the lease was lost, or the runner stops and the grace period is over.</summary>
    Task<Outcome> StoppedAsync(ClaimedTask task, LeaseKeeper lease, OutputTail tail, TaskLog log) =>
        lease.IsLost ? LostLeaseAsync(task, lease, tail, log) : FailAsync(task, "runner stopped", tail, lease, log);

    /// <summary>
    /// A refused heartbeat means the service moved the task on (cancelled, expired, given to another runner): the runner
    /// does not overwrite that. It fails the task only while it is still this runner's, e.g. after a network outage
    /// longer than the lease, and then only at the version it read.
    /// </summary>
    async Task<Outcome> LostLeaseAsync(ClaimedTask task, LeaseKeeper lease, OutputTail tail, TaskLog log)
    {
        var now = await api.GetAsync(task.Id, CancellationToken.None);
        if (now is { State: "provisioning" or "running" } && now.RunnerId == settings.RunnerId)
        {
            var answer = await api.FailAsync(task.Id, Reason($"the runner lost the lease: {lease.Why}", tail), now.Version, CancellationToken.None);
            if (answer.Ok) return new Outcome("failed", $"lease lost: {lease.Why}");
        }
        return new Outcome("lease_lost", $"{lease.Why}; the task is {now?.State ?? "unknown"}{(now?.RunnerId is { } r && r != settings.RunnerId ? $" (runner {r})" : "")}, left as it is");
    }

    async Task<Outcome> FailAsync(ClaimedTask task, string headline, OutputTail tail, LeaseKeeper lease, TaskLog log)
    {
        if (lease.IsLost) return await LostLeaseAsync(task, lease, tail, log);
        var answer = await api.FailAsync(task.Id, Reason(headline, tail), null, CancellationToken.None);
        return answer.Ok ? new Outcome("failed", headline) : new Outcome("unreported", $"{headline}; the failure could not be reported ({answer.Status}): {answer.Detail}");
    }

    string Reason(string headline, OutputTail tail)
    {
        headline = mask.Apply(OutputTail.Printable(headline));
        if (tail.Text(MaxReason) is { Length: 0 }) return headline[..Math.Min(headline.Length, MaxReason)];
        var header = $"{headline}\n\nlast {OutputTail.DefaultLines} lines of output:\n";
        var room = MaxReason - header.Length;
        return room < 200 ? headline[..Math.Min(headline.Length, MaxReason)] : header + tail.Text(room);
    }

    Dictionary<string, string> Environment(ClaimedTask task, WorkingCopy copy) => new()
    {
        ["OPTIO_TASK_ID"] = task.Id.ToString(),
        ["OPTIO_TITLE"] = task.Title,
        ["OPTIO_PROMPT"] = task.Prompt,
        ["OPTIO_REPO_URL"] = copy.Repo.RepoUrl,
        ["OPTIO_BRANCH"] = copy.Branch,
        ["OPTIO_TICKET_URL"] = task.Ticket?.Url ?? "",
    };

    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 && t.TotalMinutes % 60 == 0 ? $"{t.TotalHours:0}h"
        : t.TotalMinutes >= 1 && t.TotalSeconds % 60 == 0 ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0.#}s";
}
