using System.Text.Json.Nodes;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Optio.Api.PullRequests;
using Optio.Api.Tasks;
using Optio.Domain.Tickets;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.PullRequests;
using Optio.Tests.Tickets;

namespace Optio.Tests.Audit;

/// <summary>Every kind of work records itself as the actor (and its cause) on the events it appends.</summary>
[Collection(AuditCollection.Name)]
public class ActorTests(AuditHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    string NewRepo(string prefix)
    {
        var name = $"{prefix}{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", name);
        return name;
    }

    [Fact]
    public async Task A_request_is_recorded_as_the_name_of_its_api_key_with_the_request_id_and_never_the_key()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { title = "By the auditor", prompt = "p" }).ToUrl("/api/tasks");
            s.WithRequestHeader("Authorization", $"Bearer {AuditHost.AuditorKey}");
            s.StatusCodeShouldBe(201);
        });
        var requestId = result.Context.Response.Headers["X-Request-Id"].ToString();
        var created = (await result.ReadAsJsonAsync<TaskView>())!;
        var listKeyTask = await Host.CreateTaskAsync("By the list-form key");

        Assert.NotEmpty(requestId);
        Assert.All(await Host.EventsOfAsync(created.Id), e => Assert.Equal(("api:auditor", $"request:{requestId}"), (e.Actor, e.Cause)));
        Assert.All(await Host.EventsOfAsync(listKeyTask.Id), e => Assert.Equal("api:key-0", e.Actor));
        Assert.Equal(0, await StoredAnywhereAsync(AuditHost.AuditorKey));
        Assert.Equal(0, await StoredAnywhereAsync(ApiHost.ApiKey));
    }

    [Fact]
    public async Task A_github_webhook_delivery_is_recorded_as_its_delivery_id()
    {
        var repo = NewRepo("wh");
        var task = await Host.CreateTaskAsync("Hooked", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr($"https://github.com/acme/{repo}/pull/2"));
        var payload = GitHubDeliveries.Payload("pull_request.closed", "acme", repo);
        payload["number"] = 2;
        payload["pull_request"]!["number"] = 2;
        payload["pull_request"]!["merged"] = true;
        var delivery = Guid.NewGuid().ToString();
        var body = payload.ToJsonString();

        await Host.PostAsync("pull_request", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), delivery, 202);

        var merged = await Eventually.Until(async () => (await Host.EventsOfAsync(task.Id)).FirstOrDefault(e => e.Type == "pr_merged"),
            e => e is not null, what: "the merge");
        Assert.Equal(($"github-webhook:{delivery}", "pull_request"), (merged!.Actor, merged.Cause));
    }

    [Fact]
    public async Task A_sync_is_recorded_as_its_provider_and_run_and_the_run_is_listed()
    {
        var repo = NewRepo("sy");
        GitHub.AddIssue("acme", repo, "Synced", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);

        var imported = await Host.EventsOfAsync(TicketKey.GitHub("acme", repo, 1).TaskId);
        var runs = await RunsAsync(provider);
        var run = Assert.Single(runs["items"]!.AsArray());
        Assert.All(imported, e => Assert.Equal(($"sync:{provider}:{run!["id"]}", "provider saved"), (e.Actor, e.Cause)));
    }

    [Fact]
    public async Task A_pull_request_poll_is_recorded_as_its_cycle()
    {
        var repo = NewRepo("pp");
        var task = await Host.CreateTaskAsync("Polled", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        GitHub.AddPull("acme", repo, 1, $"optio/{task.Id}");

        await Host.Services.GetRequiredService<PullRequestPoller>().PollAllAsync(default);

        var opened = Assert.Single(await Host.EventsOfAsync(task.Id), e => e.Type == "pr_opened");
        Assert.Matches(@"^pr-poll:\d{8}T\d{6}\.\d{3}Z$", opened.Actor);
        Assert.StartsWith("every ", opened.Cause);
    }

    [Fact]
    public async Task The_lease_sweep_is_recorded_as_lease_sweep()
    {
        var task = await Host.CreateTaskAsync("Abandoned");
        await Host.DecideAsync(task.Id, t => t.Claim("gone", TimeSpan.FromSeconds(1), api.Clock.GetUtcNow().AddHours(-1)));

        await Host.Services.GetRequiredService<LeaseExpiry>().SweepAsync(default);

        var requeued = Assert.Single(await Host.EventsOfAsync(task.Id), e => e.Type == "task_requeued");
        Assert.Equal("lease-sweep", requeued.Actor);
        Assert.StartsWith("lease expired before ", requeued.Cause);
    }

    [Fact]
    public async Task Close_back_is_recorded_as_close_back_caused_by_the_merge_event()
    {
        var repo = NewRepo("cb");
        GitHub.AddIssue("acme", repo, "Close me", "body", ["optio"]);
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));
        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;

        await Host.MergeAsync(taskId, $"https://github.com/acme/{repo}/pull/5");

        var closed = await Eventually.Until(async () => (await Host.EventsOfAsync(taskId)).FirstOrDefault(e => e.Type == "ticket_closed"),
            e => e is not null, what: "the close-back");
        var mergedId = await EventIdAsync(taskId, "pr_merged");
        Assert.Equal(("close-back", $"event:{mergedId}"), (closed!.Actor, closed.Cause));
    }

    async Task<JsonObject> RunsAsync(Guid provider) =>
        JsonNode.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tickets/providers/{provider}/runs"))).ReadAsTextAsync())!.AsObject();

    async Task<Guid> EventIdAsync(Guid streamId, string type)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id from optio.mt_events where stream_id = $1 and type = $2", conn)
            { Parameters = { new() { Value = streamId }, new() { Value = type } } };
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Events (data and headers) and documents holding <paramref name="text"/>.</summary>
    async Task<long> StoredAnywhereAsync(string text)
    {
        await using var conn = new NpgsqlConnection(api.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select count(*) from optio.mt_events where data::text like '%' || $1 || '%' or coalesce(headers::text, '') like '%' || $1 || '%'", conn)
            { Parameters = { new() { Value = text } } };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
