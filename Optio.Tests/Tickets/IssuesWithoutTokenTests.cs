using System.Text.Json;
using Alba;
using Marten;
using Optio.Projections.TaskList;

namespace Optio.Tests.Tickets;

/// <summary>The issue routes on a service that has no GitHub token (the tasks host configures none).</summary>
[Collection(TasksCollection.Name)]
public class IssuesWithoutTokenTests(ApiHost api)
{
    async Task<(string Repo, Guid RepoId)> ConnectedRepoAsync()
    {
        var repo = $"tok{Guid.NewGuid():N}"[..14];
        var result = await api.Host.Scenario(s => { s.Post.Json(new { url = $"https://github.com/acme/{repo}" }).ToUrl("/api/repos"); s.StatusCodeShouldBe(201); });
        return (repo, JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid());
    }

    static async Task AssertSaysHowToSetTheTokenAsync(IScenarioResult result)
    {
        Assert.Equal("application/problem+json", result.Context.Response.ContentType);
        var problem = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
        Assert.Equal("GitHub token missing", problem.GetProperty("title").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("PUT /api/secrets/GITHUB_TOKEN", detail);
        Assert.Contains("GITHUB_TOKEN environment variable", detail);
    }

    [Fact]
    public async Task Listing_issues_of_a_connected_repo_without_a_token_is_409_saying_how_to_set_it()
    {
        var (repo, _) = await ConnectedRepoAsync();
        var result = await api.Host.Scenario(s => { s.Get.Url($"/api/issues?repo=acme/{repo}"); s.StatusCodeShouldBe(409); });
        await AssertSaysHowToSetTheTokenAsync(result);
    }

    [Fact]
    public async Task Assigning_an_issue_without_a_token_is_409_saying_how_to_set_it_and_writes_nothing()
    {
        var (repo, repoId) = await ConnectedRepoAsync();
        await using var before = api.Store.QuerySession();
        var tasks = await before.Query<TaskSummary>().CountAsync();

        await AssertSaysHowToSetTheTokenAsync(await api.Host.Scenario(s =>
        {
            s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1" }).ToUrl("/api/issues/assign");
            s.StatusCodeShouldBe(409);
        }));
        await AssertSaysHowToSetTheTokenAsync(await api.Host.Scenario(s =>
        {
            s.Post.Json(new { issueNumber = 1, repoId }).ToUrl("/api/issues/assign");
            s.StatusCodeShouldBe(409);
        }));

        await using var after = api.Store.QuerySession();
        Assert.Equal(tasks, await after.Query<TaskSummary>().CountAsync());
    }
}
