using System.Text.Json;
using Alba;
using Optio.Api.Repos;

namespace Optio.Tests.Api;

/// <summary>PATCHes of repos and ticket providers racing each other, and If-Match: no change is lost, none lands on a stale copy.</summary>
[Collection(RacesCollection.Name)]
public class ConcurrentPatchTests(RacesHost api)
{
    const int Rounds = 12;

    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Two_repo_patches_at_once_changing_different_fields_both_survive()
    {
        var repo = await ConnectRepoAsync();
        var answered = new List<IScenarioResult>();

        for (var round = 1; round <= Rounds; round++)
        {
            var branch = $"branch-{round}";
            var slack = round % 2 == 1;
            answered.AddRange(await Task.WhenAll(
                PatchAsync($"/api/repos/{repo.Id}", new { defaultBranch = branch }),
                PatchAsync($"/api/repos/{repo.Id}", new { slackEnabled = slack })));

            var now = (await Host.GetAsJson<RepoView>($"/api/repos/{repo.Id}"))!;
            Assert.Equal((branch, slack), (now.DefaultBranch, now.SlackEnabled));
        }
        // Each 200 is a write of its own, one on top of the other: their ETags are the last 2 × Rounds versions.
        var last = await VersionOfAsync($"/api/repos/{repo.Id}");
        Assert.Equal(Enumerable.Range(1, 2 * Rounds).Select(i => last - 2 * Rounds + i), answered.Select(ETagOf).Order());
    }

    [Fact]
    public async Task Two_provider_patches_at_once_changing_different_fields_both_survive()
    {
        var created = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { "acme/race-0" } }, enabled = false }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var id = JsonDocument.Parse(await created.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();

        for (var round = 1; round <= Rounds; round++)
        {
            var apiUrl = $"https://ghe-{round}.example.com/api/v3/";
            var watched = $"acme/race-{round}";
            await Task.WhenAll(
                PatchAsync($"/api/tickets/providers/{id}", new { apiUrl }),
                PatchAsync($"/api/tickets/providers/{id}", new { config = new { repos = new[] { watched } } }));

            var now = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{id}"))).ReadAsTextAsync()).RootElement;
            Assert.Equal((apiUrl, watched),
                (now.GetProperty("apiUrl").GetString(), now.GetProperty("config").GetProperty("repos")[0].GetString()));
        }
        await Host.Scenario(s => { s.Delete.Url($"/api/tickets/providers/{id}"); s.StatusCodeShouldBe(204); });
    }

    [Fact]
    public async Task A_repo_patch_with_a_stale_If_Match_is_412_and_writes_nothing()
    {
        var repo = await ConnectRepoAsync();
        var seen = await VersionOfAsync($"/api/repos/{repo.Id}");

        var first = await Host.Scenario(s =>
        {
            s.Patch.Json(new { defaultBranch = "first" }).ToUrl($"/api/repos/{repo.Id}");
            s.WithRequestHeader("If-Match", $"\"{seen}\"");
            s.StatusCodeShouldBeOk();
        });
        Assert.Equal(seen + 1, ETagOf(first));

        var stale = await Host.Scenario(s =>
        {
            s.Patch.Json(new { defaultBranch = "second" }).ToUrl($"/api/repos/{repo.Id}");
            s.WithRequestHeader("If-Match", $"\"{seen}\"");
            s.StatusCodeShouldBe(412);
        });
        Assert.Contains("application/problem+json", stale.Context.Response.ContentType);
        var problem = JsonDocument.Parse(await stale.ReadAsTextAsync()).RootElement;
        Assert.Equal(seen + 1, problem.GetProperty("currentVersion").GetInt64());
        Assert.Contains($"Repo {repo.Id}", problem.GetProperty("detail").GetString());
        Assert.Equal("first", (await Host.GetAsJson<RepoView>($"/api/repos/{repo.Id}"))!.DefaultBranch);
        Assert.Equal(seen + 1, await VersionOfAsync($"/api/repos/{repo.Id}"));

        var malformed = await Host.Scenario(s =>
        {
            s.Patch.Json(new { defaultBranch = "third" }).ToUrl($"/api/repos/{repo.Id}");
            s.WithRequestHeader("If-Match", "\"yesterday\"");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains("If-Match", await malformed.ReadAsTextAsync());
        Assert.Equal("first", (await Host.GetAsJson<RepoView>($"/api/repos/{repo.Id}"))!.DefaultBranch);
    }

    [Fact]
    public async Task A_provider_patch_with_a_stale_If_Match_is_412_and_writes_nothing()
    {
        var created = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { "acme/stale" } }, enabled = false }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var id = JsonDocument.Parse(await created.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();
        var seen = await VersionOfAsync($"/api/tickets/providers/{id}");
        await Host.Scenario(s => { s.Patch.Json(new { apiUrl = "https://ghe.example.com/api/v3/" }).ToUrl($"/api/tickets/providers/{id}"); s.StatusCodeShouldBeOk(); });

        var stale = await Host.Scenario(s =>
        {
            s.Patch.Json(new { apiUrl = "https://other.example.com/api/v3/" }).ToUrl($"/api/tickets/providers/{id}");
            s.WithRequestHeader("If-Match", $"\"{seen}\"");
            s.StatusCodeShouldBe(412);
        });
        Assert.Contains($"Ticket provider {id}", await stale.ReadAsTextAsync());
        var now = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{id}"))).ReadAsTextAsync()).RootElement;
        Assert.Equal("https://ghe.example.com/api/v3/", now.GetProperty("apiUrl").GetString());
        Assert.Equal(seen + 1, await VersionOfAsync($"/api/tickets/providers/{id}"));
        await Host.Scenario(s => { s.Delete.Url($"/api/tickets/providers/{id}"); s.StatusCodeShouldBe(204); });
    }

    async Task<RepoView> ConnectRepoAsync()
    {
        var created = await Host.Scenario(s =>
        {
            s.Post.Json(new { url = $"https://github.com/acme/race-{Guid.NewGuid():N}", slackWebhookUrl = "https://hooks.slack.com/services/T/B/race" }).ToUrl("/api/repos");
            s.StatusCodeShouldBe(201);
        });
        return (await created.ReadAsJsonAsync<RepoView>())!;
    }

    Task<IScenarioResult> PatchAsync(string url, object body) =>
        Host.Scenario(s => { s.Patch.Json(body).ToUrl(url); s.StatusCodeShouldBeOk(); });

    async Task<long> VersionOfAsync(string url) => ETagOf(await Host.Scenario(s => { s.Get.Url(url); s.StatusCodeShouldBeOk(); }));

    /// <summary>The version an answer's <c>ETag: "3"</c> names.</summary>
    internal static long ETagOf(IScenarioResult result)
    {
        var tag = result.Context.Response.Headers.ETag.ToString();
        Assert.True(long.TryParse(tag.Trim('"'), out var version), $"expected an ETag naming a version, got '{tag}'");
        return version;
    }
}
