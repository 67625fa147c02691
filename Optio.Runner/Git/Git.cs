using System.Diagnostics;
using System.Text;
using Optio.Runner.Agent;

namespace Optio.Runner.Git;

/// <summary>
/// The git CLI, run as the user would run it (their git config applies), plus, when a token is given, an
/// <c>Authorization</c> header for the repository's host passed through <c>GIT_CONFIG_*</c> variables: the token
/// never appears in a command line, a remote URL or a config file.
/// </summary>
internal sealed class Git(string? token, SecretMask mask)
{
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    public async Task<string> RunAsync(string? directory, Uri? remote, CancellationToken ct, params string[] arguments)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        if (directory is not null) psi.WorkingDirectory = directory;
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0"; // a missing credential fails instead of waiting for a person
        if (token is not null && remote is { Scheme: "https" or "http" }) AddHeader(psi, remote);

        using var process = new Process { StartInfo = psi };
        var output = new StringBuilder();
        var errors = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new StepFailed($"git could not be started ({e.Message}): install git and put it on PATH.");
        }
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new StepFailed($"git {arguments[0]} did not finish{(ct.IsCancellationRequested ? " before the runner stopped" : $" within {Limit.TotalMinutes:0} minutes")}.");
        }
        if (process.ExitCode != 0)
        {
            string said;
            lock (errors) said = errors.ToString().Trim();
            throw new StepFailed(mask.Apply($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {said}"));
        }
        lock (output) return output.ToString().Trim();
    }

    /// <summary>
    /// <c>http.&lt;origin&gt;/.extraHeader</c> for this host only, appended after any <c>GIT_CONFIG_*</c> entries the
    /// environment already carries (a test's, a CI's).
    /// </summary>
    void AddHeader(ProcessStartInfo psi, Uri remote)
    {
        var count = int.TryParse(psi.Environment.TryGetValue("GIT_CONFIG_COUNT", out var c) ? c : null, out var n) ? n : 0;
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"x-access-token:{token}"));
        psi.Environment[$"GIT_CONFIG_KEY_{count}"] = $"http.{remote.GetLeftPart(UriPartial.Authority)}/.extraHeader";
        psi.Environment[$"GIT_CONFIG_VALUE_{count}"] = $"Authorization: Basic {basic}";
        psi.Environment["GIT_CONFIG_COUNT"] = (count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
