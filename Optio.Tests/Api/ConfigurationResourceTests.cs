using System.Text.Json;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Repos;
using Optio.Api.Tickets.Providers;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class ConfigurationResourceTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Secrets_are_write_only_and_encrypted_at_rest()
    {
        var name = $"token-{Guid.NewGuid():N}";
        const string value = "ghp_supersecretvalue123";
        await Host.Scenario(s => { s.Put.Json(new { value }).ToUrl($"/api/secrets/{name}"); s.StatusCodeShouldBeOk(); });

        var listing = await (await Host.Scenario(s => s.Get.Url("/api/secrets"))).ReadAsTextAsync();
        Assert.Contains(name, listing);
        Assert.DoesNotContain(value, listing);

        // What PostgreSQL holds is not the value.
        await using (var conn = new NpgsqlConnection(api.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select data::text from optio.mt_doc_storedsecret where id = $1", conn) { Parameters = { new() { Value = name } } };
            var stored = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.DoesNotContain(value, stored);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value)), stored);
        }
        Assert.Equal(value, await Host.Services.GetRequiredService<SecretStore>().GetAsync(name, default));

        await Host.Scenario(s => { s.Delete.Url($"/api/secrets/{name}"); s.StatusCodeShouldBe(204); });
        await Host.Scenario(s => { s.Delete.Url($"/api/secrets/{name}"); s.StatusCodeShouldBe(404); });
        Assert.Null(await Host.Services.GetRequiredService<SecretStore>().GetAsync(name, default));
    }

    [Theory]
    [InlineData("bad name!", "{\"value\":\"x\"}", "invalid")]
    [InlineData("ok-name", "{}", "'value' is required")]
    public async Task Bad_secrets_are_400(string name, string json, string mentions)
    {
        var result = await Host.Scenario(s =>
        {
            s.Put.Text(json).ToUrl($"/api/secrets/{Uri.EscapeDataString(name)}");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
    }

    [Fact]
    public async Task Repos_are_normalised_unique_and_keep_the_slack_url_secret()
    {
        var slug = $"repo-{Guid.NewGuid():N}";
        var created = await Host.Scenario(s =>
        {
            s.Post.Json(new { url = $"https://www.GitHub.com/Acme/{slug.ToUpperInvariant()}.git/", defaultBranch = "develop", slackEnabled = true, slackWebhookUrl = "https://hooks.slack.com/services/T/B/secret" })
                .ToUrl("/api/repos");
            s.StatusCodeShouldBe(201);
        });
        var repo = (await created.ReadAsJsonAsync<RepoView>())!;
        Assert.Equal(($"https://github.com/acme/{slug}", "acme", slug, "develop", true, true),
            (repo.Url, repo.Owner, repo.Name, repo.DefaultBranch, repo.SlackEnabled, repo.SlackWebhookConfigured));
        Assert.DoesNotContain("hooks.slack.com", await created.ReadAsTextAsync());

        var duplicate = await Host.Scenario(s => { s.Post.Json(new { url = $"https://github.com/acme/{slug}" }).ToUrl("/api/repos"); s.StatusCodeShouldBe(409); });
        Assert.Contains(repo.Id.ToString(), await duplicate.ReadAsTextAsync());

        var listed = (await Host.GetAsJson<RepoView[]>("/api/repos"))!;
        Assert.Single(listed, r => r.Url == repo.Url);

        var patched = await Host.Scenario(s => { s.Patch.Json(new { slackEnabled = false }).ToUrl($"/api/repos/{repo.Id}"); s.StatusCodeShouldBeOk(); });
        Assert.False((await patched.ReadAsJsonAsync<RepoView>())!.SlackEnabled);

        await Host.Scenario(s => { s.Delete.Url($"/api/repos/{repo.Id}"); s.StatusCodeShouldBe(204); });
        await Host.Scenario(s => { s.Get.Url($"/api/repos/{repo.Id}"); s.StatusCodeShouldBe(404); });
    }

    [Theory]
    [InlineData("{\"url\":\"not a url\"}", "'url'")]
    [InlineData("{\"url\":\"https://github.com/acme\"}", "'url'")]
    [InlineData("{\"url\":\"https://github.com/acme/x\",\"slackEnabled\":true}", "slackWebhookUrl")]
    [InlineData("{\"url\":\"https://github.com/acme/x\",\"slackWebhookUrl\":\"http://insecure\"}", "https")]
    public async Task Bad_repos_are_400_and_save_nothing(string json, string mentions)
    {
        var before = (await Host.GetAsJson<RepoView[]>("/api/repos"))!.Length;
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/repos");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
        Assert.Equal(before, (await Host.GetAsJson<RepoView[]>("/api/repos"))!.Length);
    }

    [Fact]
    public async Task A_linear_provider_stores_its_inline_key_as_a_secret_and_never_shows_it()
    {
        var apiKey = $"lin_api_{Guid.NewGuid():N}";
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "linear", config = new { apiKey, teamId = "team-1", projectId = "proj-1" }, enabled = false }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var body = await result.ReadAsTextAsync();
        Assert.DoesNotContain(apiKey, body);
        var view = JsonDocument.Parse(body).RootElement;
        var config = view.GetProperty("config");
        Assert.Equal("optio", config.GetProperty("label").GetString());
        var secretName = config.GetProperty("apiKeySecret").GetString()!;
        Assert.Equal(apiKey, await Host.Services.GetRequiredService<SecretStore>().GetAsync(secretName, default));

        var id = view.GetProperty("id").GetGuid();
        var fetched = await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{id}"))).ReadAsTextAsync();
        Assert.DoesNotContain(apiKey, fetched);
        Assert.Contains("\"lastRun\"", fetched);
    }

    [Fact]
    public async Task A_github_provider_defaults_its_label_and_can_be_disabled_and_deleted()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { "Acme/WebApp", "https://github.com/acme/api.git" } }, enabled = false }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var view = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
        var id = view.GetProperty("id").GetGuid();
        Assert.Equal(["acme/webapp", "acme/api"], view.GetProperty("config").GetProperty("repos").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["optio"], view.GetProperty("config").GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("GITHUB_TOKEN", view.GetProperty("config").GetProperty("tokenSecret").GetString());

        var patched = await Host.Scenario(s =>
        {
            s.Patch.Json(new { config = new { repos = new[] { "acme/webapp" }, labels = new[] { "optio", "ai-task" }, assignee = "octocat" } }).ToUrl($"/api/tickets/providers/{id}");
            s.StatusCodeShouldBeOk();
        });
        var config = JsonDocument.Parse(await patched.ReadAsTextAsync()).RootElement.GetProperty("config");
        Assert.Equal("octocat", config.GetProperty("assignee").GetString());

        await Host.Scenario(s => { s.Delete.Url($"/api/tickets/providers/{id}"); s.StatusCodeShouldBe(204); });
        await Host.Scenario(s => { s.Get.Url($"/api/tickets/providers/{id}"); s.StatusCodeShouldBe(404); });
    }

    [Theory]
    [InlineData("{\"source\":\"jira\",\"config\":{}}", "'source'")]
    [InlineData("{\"source\":\"github\"}", "'config' is required")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":[]}}", "'config.repos'")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":[\"not a repo\"]}}", "'config.repos'")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":[\"a/b\"],\"labels\":[\"\"]}}", "'config.labels'")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":\"a/b\"}}", "'config.repos'")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":[\"a/b\"],\"colour\":\"red\"}}", "colour")]
    [InlineData("{\"source\":\"github\",\"config\":{\"repos\":[\"a/b\"]},\"apiUrl\":\"not-a-url\"}", "'apiUrl'")]
    [InlineData("{\"source\":\"linear\",\"config\":{\"teamId\":\"t\"}}", "'config.apiKey'")]
    [InlineData("{\"source\":\"linear\",\"config\":{\"apiKey\":\"k\",\"label\":\" \"}}", "'config.label'")]
    public async Task Invalid_provider_config_is_400_naming_the_field_and_saves_nothing(string json, string mentions)
    {
        await using var session = api.Store.QuerySession();
        var before = await session.Query<TicketProvider>().CountAsync();
        var result = await Host.Scenario(s =>
        {
            s.Post.Text(json).ToUrl("/api/tickets/providers");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Contains(mentions, await result.ReadAsTextAsync());
        Assert.Equal(before, await session.Query<TicketProvider>().CountAsync());
    }
}
