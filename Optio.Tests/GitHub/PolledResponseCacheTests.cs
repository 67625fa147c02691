using Optio.Api.Integrations.GitHub;

namespace Optio.Tests.GitHub;

public class PolledResponseCacheTests : GitHubTest
{
    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_the_least_recently_used_page_leaves_first()
    {
        var cache = new PolledResponseCache(capacity: 2);
        var issues = new GitHubIssues(Clock, responses: cache);
        foreach (var repo in new[] { "a", "b", "c" })
        {
            GitHub.AddRepo("acme", repo);
            GitHub.AddIssue("acme", repo, $"Issue of {repo}", labels: ["optio"]);
        }
        Task Fetch(string repo) => issues.FetchOpenIssuesAsync(Settings, "acme", repo, ["optio"], null, CancellationToken.None);

        await Fetch("a");
        await Fetch("b");
        await Fetch("a"); // a used again, so b is now the least recently used
        await Fetch("c");
        Assert.Equal(2, cache.Count);

        GitHub.ClearRequests();
        await Fetch("a");
        await Fetch("c");
        await Fetch("b");
        Assert.Equal([304, 304, 200], GitHub.Requests.Select(r => r.Status));
    }
}
