using System.Diagnostics;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// This test run's scratch directory, <c>/tmp/optio-tests/&lt;pid&gt;</c>. A detached janitor waits for
/// the run's process to end, however it ends (passed, failed, killed), then stops every PostgreSQL
/// started in the directory and removes it; a run also sweeps what a killed earlier run left.
/// </summary>
public static class TestRun
{
    static readonly Lazy<string> Root = new(Create);

    public static string Directory => Root.Value;

    static string Create()
    {
        var parent = Path.Combine(Path.GetTempPath(), "optio-tests");
        System.IO.Directory.CreateDirectory(parent);
        SweepStale(parent);
        var root = Path.Combine(parent, Environment.ProcessId.ToString());
        System.IO.Directory.CreateDirectory(root);
        using (var starter = StartJanitor(Environment.ProcessId, root, detached: true)) starter.WaitForExit();
        return root;
    }

    /// <summary>Directories of runs whose process is gone (and the flat <c>/tmp/optio-tests-&lt;pid&gt;</c> of older runs).</summary>
    static void SweepStale(string parent)
    {
        var stale = System.IO.Directory.GetDirectories(parent)
            .Concat(System.IO.Directory.GetDirectories(Path.GetTempPath(), "optio-tests-*"))
            .Where(dir => int.TryParse(Path.GetFileName(dir).Replace("optio-tests-", ""), out var pid) && !IsAlive(pid));
        foreach (var dir in stale)
        {
            using var janitor = StartJanitor(0, dir, detached: false);
            janitor.WaitForExit();
        }
    }

    static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// The clean-up shell. Detached, it is started through a shell that exits at once, in a session of
    /// its own: no longer the test process's child, no kill of that process tree or group takes it along.
    /// </summary>
    static Process StartJanitor(int waitForPid, string dir, bool detached)
    {
        const string script = """
            while [ "$1" != 0 ] && kill -0 "$1" 2>/dev/null; do sleep 0.5; done
            for pidfile in $(find "$2" -maxdepth 4 -name postmaster.pid 2>/dev/null); do
              pm=$(head -1 "$pidfile")
              if [ "$(cat /proc/$pm/comm 2>/dev/null)" = postgres ]; then
                kill -QUIT "$pm"
                while kill -0 "$pm" 2>/dev/null; do sleep 0.1; done
              fi
            done
            rm -rf "$2"
            """;
        var psi = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] args = detached
            ? ["-c", "setsid bash -c \"$0\" optio-test-janitor \"$1\" \"$2\" </dev/null >/dev/null 2>&1 &", script, waitForPid.ToString(), dir]
            : ["-c", script, "optio-test-janitor", waitForPid.ToString(), dir];
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        return Process.Start(psi)!;
    }
}
