using System.Text.RegularExpressions;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Operations;

/// <summary>
/// The README's curl walk-through, run as written (the block after <c>&lt;!-- walkthrough --&gt;</c>)
/// against a fresh service process, so the README cannot drift from what the service does.
/// </summary>
[Collection(FaultsCollection.Name)]
public class WalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_readme_walkthrough_runs_as_written_and_ends_completed_and_cancelled()
    {
        var script = Walkthrough();
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests,
            await TestPostgres.NewDatabaseAsync("walkthrough"), log: output.WriteLine);

        var (exitCode, text) = await CommandRun.RunAsync("bash", ["-c", "set -u\n" + script], new Dictionary<string, string>
        {
            ["API"] = service.Http.BaseAddress!.ToString().TrimEnd('/'),
            ["OPTIO_KEY"] = ServiceProcess.ApiKey,
        });
        output.WriteLine(text);

        Assert.Equal(0, exitCode);
        Assert.Contains("\"status\":409", text);
        Assert.Matches(@"task [0-9a-f-]{36} is completed", text);
        Assert.Matches(@"task [0-9a-f-]{36} is cancelled", text);
        Assert.DoesNotContain("is null", text);
    }

    static string Walkthrough()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "README.md"));
        var block = Regex.Match(readme, @"<!-- walkthrough -->\s*```bash\n(?<script>.*?)```", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no ```bash block after <!-- walkthrough -->.");
        return block.Groups["script"].Value;
    }
}
