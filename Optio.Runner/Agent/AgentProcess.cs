using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Optio.Runner.Agent;

/// <summary>How an agent's run ended: its exit code, or null when the runner stopped it.</summary>
internal sealed record AgentExit(int? ExitCode);

/// <summary>
/// The agent command line, run by the shell in the working copy. On Linux it gets a session of its own
/// (<c>setsid</c>), so a Ctrl+C at the runner's terminal reaches the runner alone, and stopping it stops everything it
/// started: SIGTERM to its process group, SIGKILL to the tree five seconds later.
/// </summary>
internal static class AgentProcess
{
    static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(5);
    const int SigTerm = 15, SigKill = 9;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);

    public static async Task<AgentExit> RunAsync(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> withoutVariables, TaskLog log, OutputTail tail, CancellationToken stop)
    {
        var psi = Shell(command);
        psi.WorkingDirectory = workingDirectory;
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        foreach (var name in withoutVariables) psi.Environment.Remove(name);
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        using var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) tail.Add(log.Agent(e.Data)); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) tail.Add(log.Agent(e.Data)); };
        process.Start();
        process.StandardInput.Close(); // an agent waiting for a person would otherwise wait forever
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(stop);
            return new AgentExit(process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            return new AgentExit(null);
        }
    }

    static ProcessStartInfo Shell(string command)
    {
        if (OperatingSystem.IsWindows()) return new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/s", "/c", command } };
        var psi = File.Exists("/usr/bin/setsid") ? new ProcessStartInfo("/usr/bin/setsid") { ArgumentList = { "/bin/sh" } } : new ProcessStartInfo("/bin/sh");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec 2>&1\n" + command); // one stream, so the log and the tail keep the agent's order
        return psi;
    }

    static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        if (!OperatingSystem.IsWindows()) Signal(process.Id, SigTerm);
        using var grace = new CancellationTokenSource(KillAfter);
        try
        {
            await process.WaitForExitAsync(grace.Token);
            return;
        }
        catch (OperationCanceledException) { }
        if (!OperatingSystem.IsWindows()) Signal(process.Id, SigKill);
        try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        using var drain = new CancellationTokenSource(KillAfter);
        try { await process.WaitForExitAsync(drain.Token); } catch (OperationCanceledException) { }
    }

    /// <summary>The whole group when the agent leads one (setsid), else the agent alone.</summary>
    static void Signal(int pid, int signal)
    {
        if (Kill(-pid, signal) != 0) Kill(pid, signal);
    }
}
