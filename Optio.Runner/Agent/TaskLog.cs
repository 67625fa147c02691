namespace Optio.Runner.Agent;

/// <summary>
/// One task's log file, <c>&lt;workdir&gt;/logs/&lt;taskId&gt;.log</c>: what the runner did and everything the agent
/// printed, masked. A retried task appends to the same file.
/// </summary>
internal sealed class TaskLog : IDisposable
{
    readonly StreamWriter writer;
    readonly SecretMask mask;
    readonly Lock gate = new();

    public string Path { get; }

    public TaskLog(string directory, Guid taskId, SecretMask mask)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"{taskId}.log");
        writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        this.mask = mask;
    }

    /// <summary>A line of the runner's own, marked as such.</summary>
    public void Runner(string message) => Write(mask.Apply($"[optio-runner {DateTimeOffset.UtcNow:HH:mm:ss}] {message}"));

    /// <summary>A line the agent printed; returns it masked.</summary>
    public string Agent(string line)
    {
        var masked = mask.Apply(line);
        Write(masked);
        return masked;
    }

    void Write(string line)
    {
        lock (gate) writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (gate) writer.Dispose();
    }
}
