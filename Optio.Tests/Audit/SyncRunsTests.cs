using System.Text.Json.Nodes;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Tickets;

namespace Optio.Tests.Audit;

[Collection(AuditCollection.Name)]
public class SyncRunsTests(AuditHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    async Task<JsonObject> RunsAsync(Guid provider, string query = "") =>
        JsonNode.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{provider}/runs{query}"))).ReadAsTextAsync())!.AsObject();

    [Fact]
    public async Task Each_sync_run_is_listed_newest_first_with_its_requests_304s_and_what_it_did()
    {
        var repo = $"runs{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "One", "b", ["optio"]);
        GitHub.AddIssue("acme", repo, "Two", "b", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);

        await api.SyncNowAsync(provider); // nothing changed upstream: a conditional request answered 304

        var runs = (await RunsAsync(provider))["items"]!.AsArray();
        Assert.Equal(2, runs.Count);
        var (latest, first) = (runs[0]!, runs[1]!);
        Assert.Equal(("test", "provider saved"), ((string?)latest["trigger"], (string?)first["trigger"]));
        Assert.True((DateTimeOffset)latest["startedAt"]! >= (DateTimeOffset)first["finishedAt"]!);
        Assert.Equal(("succeeded", 2, 2, 0), ((string?)first["outcome"], (int)first["ticketsSeen"]!, (int)first["imported"]!, (int)first["notModified"]!));
        Assert.True((int)first["requestsSent"]! >= 1);
        Assert.Equal(("succeeded", 0, 1), ((string?)latest["outcome"], (int)latest["imported"]!, (int)latest["notModified"]!));
        Assert.Equal((int)latest["notModified"]!, (int)latest["requestsSent"]!);
    }

    [Fact]
    public async Task Runs_are_paged()
    {
        var repo = $"page{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        await api.SyncNowAsync(provider);
        await api.SyncNowAsync(provider);

        var first = await RunsAsync(provider, "?pageSize=2");
        var second = await RunsAsync(provider, "?pageSize=2&page=2");

        Assert.Equal((2, true), (first["items"]!.AsArray().Count, (bool)first["hasMore"]!));
        Assert.Equal((1, false), (second["items"]!.AsArray().Count, (bool)second["hasMore"]!));
        Assert.Equal("provider saved", (string?)second["items"]![0]!["trigger"]);
    }

    [Fact]
    public async Task Runs_of_an_unknown_provider_are_404_and_a_bad_page_size_is_400()
    {
        await Host.Scenario(s => { s.Get.Url($"/api/tickets/providers/{Guid.NewGuid()}/runs"); s.StatusCodeShouldBe(404); });
        var repo = $"bad{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await Host.Scenario(s => { s.Get.Url($"/api/tickets/providers/{provider}/runs?pageSize=0"); s.StatusCodeShouldBe(400); });
    }
}
