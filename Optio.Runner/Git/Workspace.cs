using Optio.Domain.PullRequests;
using Optio.Domain.Repos;

namespace Optio.Runner.Git;

/// <summary>A task's working copy: on branch <see cref="Branch"/>, made from <see cref="BaseCommit"/> of <see cref="DefaultBranch"/>.</summary>
internal sealed record WorkingCopy(string Path, GitHubUrl Repo, Uri Remote, string Branch, string DefaultBranch, string BaseCommit);

/// <summary>
/// Working copies under <c>&lt;workdir&gt;/tasks</c>, made from a cached bare mirror of each repository
/// (<c>&lt;workdir&gt;/mirrors/&lt;host&gt;/&lt;owner&gt;/&lt;name&gt;.git</c>) that is fetched before each task, so a
/// repository is downloaded once per machine, not once per task. A lock file lets runners share a workdir.
/// </summary>
internal sealed class Workspace(string workdir, Git git)
{
    public string Logs => Path.Combine(workdir, "logs");

    public async Task<WorkingCopy> PrepareAsync(Guid taskId, string? repoUrl, CancellationToken ct)
    {
        if (GitHubUrl.Repo(repoUrl) is not { } repo)
            throw new StepFailed(repoUrl is null ? "the task names no repository (repoUrl)" : $"'{repoUrl}' is not a repository URL");
        var remote = new Uri(repo.RepoUrl + ".git");
        var mirror = Path.Combine(workdir, "mirrors", remote.Authority.Replace(':', '_'), repo.Owner, repo.Name + ".git");
        var path = Path.Combine(workdir, "tasks", taskId.ToString());
        Remove(path);
        Directory.CreateDirectory(Path.GetDirectoryName(mirror)!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        await using (await LockAsync(mirror + ".lock", ct))
        {
            await RefreshMirrorAsync(mirror, remote, ct);
            await git.RunAsync(null, null, ct, "clone", "--quiet", mirror, path);
        }
        await git.RunAsync(path, null, ct, "remote", "set-url", "origin", remote.AbsoluteUri);
        string defaultBranch, baseCommit;
        try
        {
            defaultBranch = await git.RunAsync(path, null, ct, "symbolic-ref", "--short", "HEAD");
            baseCommit = await git.RunAsync(path, null, ct, "rev-parse", "--verify", "HEAD^{commit}");
        }
        catch (StepFailed)
        {
            throw new StepFailed($"{repo.RepoUrl} has no commits on its default branch yet");
        }
        var branch = TaskBranch.For(taskId);
        await git.RunAsync(path, null, ct, "checkout", "--quiet", "-b", branch);
        return new WorkingCopy(path, repo, remote, branch, defaultBranch, baseCommit);
    }

    /// <summary>Commits on the task's branch since the working copy was made.</summary>
    public async Task<int> CommitsAsync(WorkingCopy copy, CancellationToken ct)
    {
        try
        {
            return int.Parse(await git.RunAsync(copy.Path, null, ct, "rev-list", "--count", $"{copy.BaseCommit}..refs/heads/{copy.Branch}"),
                System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (StepFailed)
        {
            return 0; // the agent deleted or never kept the branch
        }
    }

    public async Task<bool> HasUncommittedChangesAsync(WorkingCopy copy, CancellationToken ct) =>
        (await git.RunAsync(copy.Path, null, ct, "status", "--porcelain")).Length > 0;

    /// <summary>Pushes the task's branch, replacing what an earlier attempt of the same task pushed.</summary>
    public Task PushAsync(WorkingCopy copy, CancellationToken ct) =>
        git.RunAsync(copy.Path, copy.Remote, ct, "push", "--quiet", "--force", "origin", $"refs/heads/{copy.Branch}:refs/heads/{copy.Branch}");

    public static void Remove(string path)
    {
        if (!Directory.Exists(path)) return;
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal); // git marks objects read-only, which Windows will not delete
        Directory.Delete(path, recursive: true);
    }

    /// <summary>A fresh mirror is cloned aside and moved into place, so an interrupted clone leaves nothing half-made.</summary>
    async Task RefreshMirrorAsync(string mirror, Uri remote, CancellationToken ct)
    {
        if (File.Exists(Path.Combine(mirror, "HEAD")))
        {
            await git.RunAsync(mirror, remote, ct, "fetch", "--quiet", "--prune", "origin");
            // The default branch may have changed upstream since the mirror was made.
            var head = await git.RunAsync(mirror, remote, ct, "ls-remote", "--symref", "origin", "HEAD");
            if (head.Split('\n').FirstOrDefault(l => l.StartsWith("ref: ", StringComparison.Ordinal))?.Split('\t')[0][5..] is { } current)
                await git.RunAsync(mirror, null, ct, "symbolic-ref", "HEAD", current);
            return;
        }
        Remove(mirror);
        var aside = $"{mirror}.{Guid.NewGuid():N}.tmp";
        try
        {
            await git.RunAsync(null, remote, ct, "clone", "--mirror", "--quiet", remote.AbsoluteUri, aside);
            Directory.Move(aside, mirror);
        }
        finally
        {
            Remove(aside);
        }
    }

    static async Task<FileStream> LockAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
