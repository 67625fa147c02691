using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Benchmarks;

/// <summary>
/// Each benchmark run end to end at a tiny size (its own cluster, the service as a process), so a
/// change that breaks one fails here instead of on the day someone measures. Numbers are not checked.
/// </summary>
[Collection(BenchmarksCollection.Name)]
public class BenchmarkSmokeTests(ITestOutputHelper output)
{
    public static TheoryData<string> TinyRuns() =>
    [
        "lifecycles --n 5",
        "sync --repos 2 --issues 5 --runs 1",
        "prpoll --prs 4",
        "tasklist --tasks 50 --seconds 1",
        "fanout --events 20",
        "trickle --rate 20 --seconds 2",
        "archive --events 40",
    ];

    [Theory, MemberData(nameof(TinyRuns))]
    public async Task Each_benchmark_runs_at_a_tiny_size(string arguments)
    {
        var (exitCode, text) = await RunAsync(arguments);
        Assert.True(exitCode == 0, $"`{arguments}` exited {exitCode}:\n{text}");
        Assert.Contains("| --- |", text);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("lifecycles --bogus 3")]
    [InlineData("lifecycles --n many")]
    public async Task An_unknown_argument_prints_usage_and_exits_2(string arguments)
    {
        var (exitCode, text) = await RunAsync(arguments);
        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet run -c Release --project Optio.Benchmarks", text);
    }

    async Task<(int, string)> RunAsync(string arguments)
    {
        var (exitCode, text) = await CommandRun.RunAsync("dotnet", [RepositoryPaths.Build("Optio.Benchmarks"), .. arguments.Split(' ')]);
        output.WriteLine(text);
        return (exitCode, text);
    }
}
