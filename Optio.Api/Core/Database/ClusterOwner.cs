using System.Diagnostics;

namespace Optio.Api.Core.Database;

/// <summary>
/// Which process owns an embedded cluster: its pid and start time in a file beside the data
/// directory. The start time guards against a recycled pid passing for the owner.
/// </summary>
static class ClusterOwner
{
    public static void Write(string file)
    {
        using var self = Process.GetCurrentProcess();
        File.WriteAllText(file, $"{self.Id} {self.StartTime.ToUniversalTime().Ticks}");
    }

    public static void Release(string file)
    {
        if (File.Exists(file) && IsCurrentProcess(file)) File.Delete(file);
    }

    /// <summary>Whether the process named in the file still runs (false when there is no file).</summary>
    public static bool IsAlive(string file)
    {
        if (Read(file) is not var (pid, started)) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            // Linux derives a start time from the boot time, which each reader computes a little differently.
            return Math.Abs(process.StartTime.ToUniversalTime().Ticks - started) < TimeSpan.TicksPerSecond;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    static bool IsCurrentProcess(string file) => Read(file) is var (pid, _) && pid == Environment.ProcessId;

    static (int Pid, long Started)? Read(string file)
    {
        try
        {
            var parts = File.ReadAllText(file).Split(' ');
            return (int.Parse(parts[0]), long.Parse(parts[1]));
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
