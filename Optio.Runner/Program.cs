using System.Diagnostics;
using System.Runtime.InteropServices;
using Optio.Runner.Agent;
using Optio.Runner.Git;
using Optio.Runner.PullRequests;

namespace Optio.Runner;

/// <summary>
/// <c>optio-runner</c>: checks its configuration (exit code 2 before claiming anything when it is wrong), then claims
/// tasks and runs the agent on each until stopped (SIGTERM / Ctrl+C: no new claims, running agents get the grace
/// period, then they are failed with "runner stopped" so they can be retried).
/// </summary>
internal static class Program
{
    public const int BadConfiguration = 2;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["--help"] or ["-h"])
        {
            Console.WriteLine(RunnerSettings.Usage);
            return 0;
        }
        var (settings, problems) = RunnerSettings.Read(args, Directory.GetCurrentDirectory());
        if (settings is null)
        {
            foreach (var problem in problems) await Console.Error.WriteLineAsync(problem);
            await Console.Error.WriteLineAsync("optio-runner --help lists the settings.");
            return BadConfiguration;
        }

        using var api = new OptioApi(settings);
        var mask = new SecretMask(settings.Secrets);
        if (await CheckAsync(settings, api, mask) is { } wrong)
        {
            await Console.Error.WriteLineAsync(wrong);
            return BadConfiguration;
        }
        if (settings.GitHubToken is null)
            await Console.Error.WriteLineAsync("GITHUB_TOKEN is not set: the runner can report pull requests the agent opens, but cannot push or open one itself.");

        using var stopClaiming = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        var signals = 0;
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref signals) == 1)
            {
                Console.Error.WriteLine($"stopping: no new claims; running agents get {TaskRun.Format(settings.Grace)} to finish (signal again to stop them now).");
                stopClaiming.Cancel();
                abort.CancelAfter(settings.Grace);
            }
            else abort.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        var workspace = new Workspace(settings.Workdir, new Git.Git(settings.GitHubToken, mask));
        var taskRun = new TaskRun(settings, api, workspace, new PullRequestOpener(settings), mask);
        var summary = new Summary(Console.Out);
        Console.WriteLine($"optio-runner {settings.RunnerId}: claiming from {settings.Api} ({settings.Concurrency} at a time), " +
                          $"logs in {workspace.Logs}");
        var loop = new ClaimLoop(settings, api, async task =>
        {
            var clock = Stopwatch.StartNew();
            Outcome outcome;
            try
            {
                outcome = await taskRun.RunAsync(task, abort.Token);
            }
            catch (Exception e)
            {
                outcome = new Outcome("error", mask.Apply(e.Message)); // a runner fault: the lease runs out and the service takes the task back
            }
            summary.Write(task, outcome, clock.Elapsed);
        }, Console.Error);
        return await loop.RunAsync(stopClaiming.Token);
    }

    static async Task<string?> CheckAsync(RunnerSettings settings, OptioApi api, SecretMask mask)
    {
        if (await api.CheckAsync(CancellationToken.None) is { } problem) return problem;
        try
        {
            await new Git.Git(null, mask).RunAsync(null, null, CancellationToken.None, "--version");
            Directory.CreateDirectory(settings.Workdir);
        }
        catch (Exception e) when (e is StepFailed or IOException or UnauthorizedAccessException)
        {
            return e is StepFailed ? e.Message : $"--workdir {settings.Workdir} cannot be used: {e.Message}";
        }
        return null;
    }
}
