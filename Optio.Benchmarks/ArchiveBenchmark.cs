using System.Diagnostics;
using System.Text.RegularExpressions;
using Optio.Domain.Tasks;
using Optio.Tests.Infrastructure;

namespace Optio.Benchmarks;

/// <summary>
/// Audit: <c>export</c> and <c>import</c> of N task events (four per task), each run as the operator runs it (the
/// Optio.Api command line), next to the raw append floor: the same events appended through Marten, 500 per save, with
/// the inline task list.
/// </summary>
public static partial class ArchiveBenchmark
{
    const int EventsPerTask = 4;

    public static async Task RunAsync(BenchEnvironment bench, int events)
    {
        var tasks = Math.Max(1, events / EventsPerTask);
        Console.WriteLine($"Export / import: {tasks * EventsPerTask:N0} events ({tasks:N0} tasks); load average before: {LoadAverage()}");
        var source = await bench.NewDatabaseAsync();
        var floor = await SeedAsync(source, tasks);
        var file = Path.Combine(TestRun.Directory, $"archive-{Guid.NewGuid():N}.ndjson");
        try
        {
            var export = await RunCliAsync(source, "export", "--out", file);
            var target = await bench.NewDatabaseAsync();
            var import = await RunCliAsync(target, "import", file);
            Console.WriteLine();
            Console.WriteLine("| step | events/s (the command's own count) | wall time incl. process start |");
            Console.WriteLine("| --- | --- | --- |");
            Console.WriteLine($"| raw append floor: 500 events per save, inline task list | {floor:N0} | — |");
            Console.WriteLine($"| export (NDJSON, {new FileInfo(file).Length / 1024.0 / 1024.0:F1} MiB) | {export.Rate:N0} | {export.Wall.TotalSeconds:F1} s |");
            Console.WriteLine($"| import (COPY + projection rebuild + ticket index) | {import.Rate:N0} | {import.Wall.TotalSeconds:F1} s |");
            Console.WriteLine($"import / floor: {import.Rate / floor:P0}; load average after: {LoadAverage()}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Appends the events as a bulk writer would: 500 per save; returns events/s.</summary>
    static async Task<double> SeedAsync(string connection, int tasks)
    {
        await using var store = BenchEnvironment.RawStore(connection);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var clock = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, tasks).Chunk(500 / EventsPerTask))
        {
            await using var session = store.LightweightSession();
            foreach (var i in chunk)
                session.Events.StartStream<OptioTask>(Guid.CreateVersion7(),
                    new TaskCreated($"Task {i}", "Prompt", "https://github.com/acme/webapp"), new TaskQueued(), new TaskFailed("seeded"),
                    new TaskRequeued("retried"));
            await session.SaveChangesAsync();
        }
        return tasks * EventsPerTask / clock.Elapsed.TotalSeconds;
    }

    static async Task<(double Rate, TimeSpan Wall)> RunCliAsync(string connection, params string[] arguments)
    {
        var dll = RepositoryPaths.Build("Optio.Api");
        var clock = Stopwatch.StartNew();
        var (exitCode, output) = await CommandRun.RunAsync("dotnet", [dll, .. arguments], new Dictionary<string, string>
        {
            ["ConnectionStrings__Optio"] = connection,
            ["Optio__SecretsKey"] = Convert.ToBase64String(new byte[32]),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        }, TimeSpan.FromMinutes(30), Path.GetDirectoryName(dll));
        var wall = clock.Elapsed;
        if (exitCode != 0) throw new InvalidOperationException($"`{string.Join(' ', arguments)}` exited {exitCode}:\n{output}");
        var rate = Rate().Match(output);
        if (!rate.Success) throw new InvalidOperationException($"`{string.Join(' ', arguments)}` printed no rate:\n{output}");
        return (double.Parse(rate.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture), wall);
    }

    static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    [GeneratedRegex(@"\(([\d,]+) events/s\)")]
    private static partial Regex Rate();
}
