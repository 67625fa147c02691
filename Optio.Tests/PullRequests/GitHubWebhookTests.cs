using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.Tickets;
using Optio.Api.Integrations.GitHub.Inbound;
using Optio.Api.PullRequests;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.PullRequests;

[Collection(TicketsCollection.Name)]
public class GitHubWebhookTests(TicketsHost api)
{
    /// <summary>What a pull request delivery sets off: its handling, and the PR polls it asks for.</summary>
    static readonly Type[] PullRequestWork = [typeof(GitHubPullRequestDelivered), typeof(PollPullRequest)];

    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    Task<IScenarioResult> DeliverAsync(string eventName, JsonObject payload, string? deliveryId = null, int? status = 202)
    {
        var body = payload.ToJsonString();
        return Host.PostAsync(eventName, body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), deliveryId, status);
    }

    async Task<(Guid Id, string Repo)> TaskWithReportedPrAsync(int number = 2)
    {
        var repo = $"wh{Guid.NewGuid():N}"[..12];
        GitHub.AddRepo("acme", repo);
        var task = await Host.CreateTaskAsync("Hooked", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr($"https://github.com/acme/{repo}/pull/{number}"));
        return (task.Id, repo);
    }

    static JsonObject ClosedPr(string repo, bool merged, int number = 2)
    {
        var payload = GitHubDeliveries.Payload("pull_request.closed", "acme", repo);
        payload["number"] = number;
        payload["pull_request"]!["number"] = number;
        payload["pull_request"]!["merged"] = merged;
        return payload;
    }

    async Task<int> CountAsync(Guid id, string type)
    {
        var json = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{id}/events"))).ReadAsTextAsync());
        return json.RootElement.EnumerateArray().Count(e => e.GetProperty("type").GetString() == type);
    }

    async Task<long> DeliveriesStoredAsync()
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<GitHubDelivery>().CountAsync();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=deadbeef")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Missing_malformed_or_wrong_signatures_are_401_and_record_nothing(string? signature)
    {
        var before = await DeliveriesStoredAsync();
        var result = await Host.PostAsync("pull_request", ClosedPr("nobody", merged: true).ToJsonString(), signature, status: 401);
        Assert.Contains("X-Hub-Signature-256", await result.ReadAsTextAsync());
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Fact]
    public async Task Ping_is_answered_200()
    {
        var body = GitHubDeliveries.Payload("ping", "acme", "any").ToJsonString();
        await Host.PostAsync("ping", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 200);
    }

    [Fact]
    public async Task A_signed_body_that_is_not_json_is_400()
    {
        const string body = "{\"action\": ";
        await Host.PostAsync("pull_request", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 400);
    }

    [Fact]
    public async Task Unknown_events_are_accepted_and_ignored()
    {
        var before = await DeliveriesStoredAsync();
        await DeliverAsync("star", GitHubDeliveries.Payload("ping", "acme", "any"), status: 202);
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Fact]
    public async Task A_merged_pr_delivery_completes_the_task_and_a_redelivery_changes_nothing()
    {
        var (id, repo) = await TaskWithReportedPrAsync();
        var delivery = Guid.NewGuid().ToString();

        await DeliverAsync("pull_request", ClosedPr(repo, merged: true), delivery);
        await Eventually.Until(() => Host.GetTaskAsync(id), t => t.State == TaskState.Completed, what: "completion");

        await Host.AfterAllHandledAsync(() => DeliverAsync("pull_request", ClosedPr(repo, merged: true), delivery, status: 200), PullRequestWork);
        Assert.Equal(1, await CountAsync(id, "pr_merged"));
    }

    [Fact]
    public async Task A_merged_pr_on_github_enterprise_completes_the_task_whose_pr_is_on_that_host()
    {
        var repo = $"ghe{Guid.NewGuid():N}"[..12];
        var task = await Host.CreateTaskAsync("On GHE", $"https://ghe.example.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr($"https://ghe.example.com/acme/{repo}/pull/7"));

        await DeliverAsync("pull_request", ClosedPr(repo, merged: true, number: 7).OnHost("https://ghe.example.com"));

        await Eventually.Until(() => Host.GetTaskAsync(task.Id), t => t.State == TaskState.Completed, what: "completion");
    }

    [Fact]
    public async Task A_pr_opened_on_the_task_branch_on_github_enterprise_is_linked_with_its_enterprise_url()
    {
        var repo = $"ghb{Guid.NewGuid():N}"[..12];
        var task = await Host.CreateTaskAsync("Branchy on GHE", $"https://ghe.example.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        var payload = GitHubDeliveries.Payload("pull_request.opened", "acme", repo);
        payload["pull_request"]!["head"]!["ref"] = $"optio/{task.Id}";

        await DeliverAsync("pull_request", payload.OnHost("https://ghe.example.com"));

        var linked = await Eventually.Until(() => Host.GetTaskAsync(task.Id), t => t.State == TaskState.PrOpened, what: "the link");
        Assert.Equal($"https://ghe.example.com/acme/{repo}/pull/{payload["number"]}", linked.PrUrl);
    }

    [Fact]
    public async Task A_pr_closed_unmerged_by_webhook_fails_the_task()
    {
        var (id, repo) = await TaskWithReportedPrAsync();
        GitHub.AddPull("acme", repo, 2, "feature");
        GitHub.EditPull("acme", repo, 2, p => p.State = "closed");
        await DeliverAsync("pull_request", ClosedPr(repo, merged: false));
        var task = await Eventually.Until(() => Host.GetTaskAsync(id), t => t.State == TaskState.Failed, what: "failure");
        Assert.Contains("closed without being merged", task.Reason);
    }

    [Fact]
    public async Task The_webhook_and_the_poller_seeing_the_same_merge_record_one_merge()
    {
        var (id, repo) = await TaskWithReportedPrAsync(number: 1);
        GitHub.AddPull("acme", repo, 1, "feature");
        GitHub.EditPull("acme", repo, 1, p => { p.State = "closed"; p.Merged = true; });
        var poller = Host.Services.GetRequiredService<PullRequestPoller>();

        await Host.AfterAllHandledAsync(() => Task.WhenAll(
            Task.Run(() => DeliverAsync("pull_request", ClosedPr(repo, merged: true, number: 1))),
            Task.Run(() => poller.PollTaskAsync(id, default)),
            Task.Run(() => DeliverAsync("pull_request", ClosedPr(repo, merged: true, number: 1)))), PullRequestWork);

        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(id)).State);
        Assert.Equal(1, await CountAsync(id, "pr_merged"));
    }

    [Fact]
    public async Task A_pr_opened_on_the_task_branch_is_linked_to_the_running_task()
    {
        var repo = $"br{Guid.NewGuid():N}"[..12];
        var task = await Host.CreateTaskAsync("Branchy", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        var payload = GitHubDeliveries.Payload("pull_request.opened", "acme", repo);
        payload["pull_request"]!["head"]!["ref"] = $"optio/{task.Id}";

        await DeliverAsync("pull_request", payload);

        var linked = await Eventually.Until(() => Host.GetTaskAsync(task.Id), t => t.State == TaskState.PrOpened, what: "the link");
        Assert.Equal($"https://github.com/acme/{repo}/pull/{payload["number"]}", linked.PrUrl);
    }

    [Fact]
    public async Task A_pr_whose_body_closes_the_tasks_issue_is_linked_to_it()
    {
        var repo = $"kw{Guid.NewGuid():N}"[..12];
        var taskId = await Host.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 42));
        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
        var payload = GitHubDeliveries.Payload("pull_request.opened", "acme", repo);
        payload["pull_request"]!["body"] = "Rewrites the cache.\n\nResolves #42";

        await DeliverAsync("pull_request", payload);

        await Eventually.Until(() => Host.GetTaskAsync(taskId), t => t.State == TaskState.PrOpened, what: "the link");
    }

    [Fact]
    public async Task A_review_requesting_changes_makes_optio_read_the_pr_and_flag_the_task()
    {
        var (id, repo) = await TaskWithReportedPrAsync(number: 1);
        GitHub.AddPull("acme", repo, 1, "feature");
        GitHub.EditPull("acme", repo, 1, p => p.Reviews.Add(new FakeReview("bob", "CHANGES_REQUESTED")));
        var payload = GitHubDeliveries.Payload("pull_request_review.submitted", "acme", repo);
        payload["pull_request"]!["number"] = 1;

        await DeliverAsync("pull_request_review", payload);

        var task = await Eventually.Until(() => Host.GetTaskAsync(id), t => t.State == TaskState.NeedsAttention, what: "attention");
        Assert.Equal("changes requested by bob", task.Reason);
    }

    [Fact]
    public async Task A_completed_check_suite_makes_optio_read_the_pr_ci()
    {
        var (id, repo) = await TaskWithReportedPrAsync(number: 2);
        GitHub.AddPull("acme", repo, 1, "other");
        GitHub.AddPull("acme", repo, 2, "feature");
        GitHub.EditPull("acme", repo, 2, p => p.CheckRuns.Add(new FakeCheckRun("tests", "failure")));

        await DeliverAsync("check_suite", GitHubDeliveries.Payload("check_suite.completed", "acme", repo));

        var task = await Eventually.Until(() => Host.GetTaskAsync(id), t => t.State == TaskState.NeedsAttention, what: "attention");
        Assert.Equal("CI failing: tests", task.Reason);
    }

    [Fact]
    public async Task Issue_deliveries_follow_the_upstream_rules_and_a_watched_label_syncs_now()
    {
        var repo = $"is{Guid.NewGuid():N}"[..12];
        GitHub.AddRepo("acme", repo);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}", ["optio"]);
        await api.FirstSyncAsync(provider);
        GitHub.AddIssue("acme", repo, "Labelled later", "body", ["optio"]);
        GitHub.AddIssue("acme", repo, "Second", "body", ["optio"]);
        api.Clock.Advance(TimeSpan.FromSeconds(1));

        var labeled = GitHubDeliveries.Payload("issues.labeled", "acme", repo);
        labeled["label"]!["name"] = "OPTIO";
        await DeliverAsync("issues", labeled);
        await Eventually.Until(() => api.StatusAsync(provider), s => s.LastRun.Imported == 2, what: "the sync the label started");

        var edited = GitHubDeliveries.Payload("issues.edited", "acme", repo);
        edited["issue"]!["number"] = 1;
        edited["issue"]!["title"] = "Renamed upstream";
        GitHub.Edit("acme", repo, 1, i => i.Title = "Renamed upstream");
        await DeliverAsync("issues", edited);
        await Eventually.Until(() => Host.GetTaskAsync(TicketKey.GitHub("acme", repo, 1).TaskId), t => t.Title == "Renamed upstream", what: "the edit");

        var closed = GitHubDeliveries.Payload("issues.labeled", "acme", repo);
        closed["action"] = "closed";
        closed["issue"]!["number"] = 2;
        GitHub.Edit("acme", repo, 2, i => i.State = "closed");
        await DeliverAsync("issues", closed);
        var task = await Eventually.Until(() => Host.GetTaskAsync(TicketKey.GitHub("acme", repo, 2).TaskId), t => t.State == TaskState.Cancelled, what: "the cancel");
        Assert.Equal("ticket closed upstream", task.Reason);
    }
}
