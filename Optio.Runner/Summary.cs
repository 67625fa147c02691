namespace Optio.Runner;

/// <summary>One console line per task: when it ended, which task, how, how long it took, and why.</summary>
internal sealed class Summary(TextWriter console)
{
    readonly Lock gate = new();

    public void Write(ClaimedTask task, Outcome outcome, TimeSpan took)
    {
        var title = task.Title.Length <= 60 ? task.Title : task.Title[..59] + "…";
        var detail = outcome.Detail.ReplaceLineEndings(" ");
        lock (gate) console.WriteLine($"{DateTime.Now:HH:mm:ss} {task.Id} {outcome.State} {took.TotalSeconds:0.0}s \"{title}\" {detail}");
    }
}
