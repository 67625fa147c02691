using Xunit.Abstractions;
using System.Diagnostics;
using System.Text;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Runner;

/// <summary>
/// <c>optio-runner</c> as an operator starts it: its own process (the build of Optio.Runner), its own environment,
/// stopped with a real SIGTERM. Everything it prints is kept, and echoed to the test's output.
/// </summary>
public sealed class RunnerProcess : IAsyncDisposable
{
    public static string Dll => RepositoryPaths.Build("Optio.Runner");

    readonly Process process;
    readonly StringBuilder output = new();
    readonly ITestOutputHelper? log;

    RunnerProcess(Process process, ITestOutputHelper? log) => (this.process, this.log) = (process, log);

    public static RunnerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, ITestOutputHelper? log = null)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(Dll)! };
        psi.Environment["DOTNET_EnableDiagnostics"] = "0"; // a killed runner leaves no diagnostic pipes in /tmp
        psi.ArgumentList.Add(Dll);
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("Optio__", StringComparison.OrdinalIgnoreCase) || k == "GITHUB_TOKEN").ToList())
            psi.Environment.Remove(name); // only what the test gives
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var runner = new RunnerProcess(new Process { StartInfo = psi }, log);
        runner.process.OutputDataReceived += (_, e) => runner.Append(e.Data);
        runner.process.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        runner.process.Start();
        runner.process.BeginOutputReadLine();
        runner.process.BeginErrorReadLine();
        return runner;
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
        try { log?.WriteLine($"[runner {process.Id}] {line}"); } catch (InvalidOperationException) { } // the test has ended
    }

    public string Output
    {
        get { lock (output) return output.ToString(); }
    }

    /// <summary>The console lines that summarise a task: they name it by id.</summary>
    public IReadOnlyList<string> SummaryLines(Guid taskId) =>
        [.. Output.Split('\n').Where(l => l.Contains(taskId.ToString(), StringComparison.Ordinal))];

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The runner did not end:\n{Output}");
        }
        return process.ExitCode;
    }

    /// <summary>SIGTERM, as a service manager or Ctrl+C stops it.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", $"-TERM {process.Id}");
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
