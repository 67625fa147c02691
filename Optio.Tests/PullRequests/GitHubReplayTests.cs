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

/// <summary>
/// GitHub signs no timestamp: an old signed payload sent again under a new <c>X-GitHub-Delivery</c> is accepted.
/// For every event Optio acts on, such a replay changes nothing that GitHub does not say now.
/// </summary>
[Collection(TicketsCollection.Name)]
public class GitHubReplayTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    /// <summary>Sends the payload under a fresh delivery id and waits until Optio has handled it.</summary>
    async Task ReplayAsync(string eventName, JsonObject payload)
    {
        var body = payload.ToJsonString();
        var delivery = Guid.NewGuid().ToString();
        await Host.PostAsync(eventName, body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), delivery, status: 202);
        await Eventually.Until(async () =>
        {
            await using var session = api.Store.QuerySession();
            return await session.LoadAsync<GitHubDelivery>(delivery);
        }, d => d?.ProcessedAt is not null, what: $"delivery {delivery} handled");
    }

    async Task<int> EventCountAsync(Guid id) =>
        JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{id}/events"))).ReadAsTextAsync()).RootElement.GetArrayLength();

    string NewRepo(string prefix)
    {
        var repo = $"{prefix}{Guid.NewGuid():N}"[..12];
        GitHub.AddRepo("acme", repo);
        return repo;
    }

    static JsonObject IssuePayload(string action, string repo, int number)
    {
        var payload = GitHubDeliveries.Payload("issues.labeled", "acme", repo);
        payload["action"] = action;
        payload["issue"]!["number"] = number;
        return payload;
    }

    [Fact]
    public async Task A_replayed_label_does_not_bring_back_a_cancelled_task()
    {
        var repo = NewRepo("rl");
        GitHub.AddIssue("acme", repo, "Labelled", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}", ["optio"]);
        var synced = await api.FirstSyncAsync(provider);
        var id = TicketKey.GitHub("acme", repo, 1).TaskId;
        await Host.CancelAsync(id, "not now");
        var events = await EventCountAsync(id);
        api.Clock.Advance(TimeSpan.FromSeconds(1));

        var labeled = IssuePayload("labeled", repo, 1);
        labeled["label"]!["name"] = "optio";
        await ReplayAsync("issues", labeled);
        await Eventually.Until(() => api.StatusAsync(provider), s => s.LastSyncFinishedAt > synced.LastSyncFinishedAt, what: "the sync the label started");

        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(id)).State);
        Assert.Equal(events, await EventCountAsync(id));
    }

    [Fact]
    public async Task A_replayed_edit_does_not_bring_back_an_old_title()
    {
        var repo = NewRepo("re");
        GitHub.AddIssue("acme", repo, "Title now", "Body now");
        var id = await Host.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 1, "Title now", "Body now"));

        var edited = GitHubDeliveries.Payload("issues.edited", "acme", repo);
        edited["issue"]!["number"] = 1;
        edited["issue"]!["title"] = "Title then";
        edited["issue"]!["body"] = "Body then";
        await ReplayAsync("issues", edited);

        var task = await Host.GetTaskAsync(id);
        Assert.Equal(("Title now", "Body now"), (task.Title, task.Prompt));
    }

    [Fact]
    public async Task A_replayed_close_does_not_cancel_the_task_of_an_issue_open_again()
    {
        var repo = NewRepo("rc");
        GitHub.AddIssue("acme", repo, "Reopened", "body");
        var id = await Host.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 1));

        await ReplayAsync("issues", IssuePayload("closed", repo, 1));

        Assert.Equal(TaskState.Queued, (await Host.GetTaskAsync(id)).State);
    }

    [Fact]
    public async Task A_replayed_unlabel_does_not_cancel_the_task_of_an_issue_labelled_again()
    {
        var repo = NewRepo("ru");
        GitHub.AddIssue("acme", repo, "Labelled again", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}", ["optio"]);
        await api.FirstSyncAsync(provider);
        var id = TicketKey.GitHub("acme", repo, 1).TaskId;

        var unlabeled = IssuePayload("unlabeled", repo, 1);
        unlabeled["issue"]!["labels"] = new JsonArray();
        unlabeled["label"]!["name"] = "optio";
        await ReplayAsync("issues", unlabeled);

        Assert.Equal(TaskState.Queued, (await Host.GetTaskAsync(id)).State);
    }

    static JsonObject OpenedPr(string repo, int number, string branch)
    {
        var payload = GitHubDeliveries.Payload("pull_request.opened", "acme", repo);
        payload["number"] = number;
        payload["pull_request"]!["number"] = number;
        payload["pull_request"]!["head"]!["ref"] = branch;
        return payload;
    }

    [Fact]
    public async Task A_replayed_pr_opened_does_not_relink_a_completed_task_or_one_that_follows_another_pr()
    {
        var repo = NewRepo("ro");
        var completed = await Host.CreateTaskAsync("Done", $"https://github.com/acme/{repo}");
        await Host.MergeAsync(completed.Id, $"https://github.com/acme/{repo}/pull/1");
        var movedOn = await Host.CreateTaskAsync("Moved on", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(movedOn.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(movedOn.Id, t => t.Start("runner"));
        await Host.DecideAsync(movedOn.Id, t => t.OpenPr($"https://github.com/acme/{repo}/pull/3"));
        var before = (await EventCountAsync(completed.Id), await EventCountAsync(movedOn.Id));

        await ReplayAsync("pull_request", OpenedPr(repo, 1, $"optio/{completed.Id}"));
        await ReplayAsync("pull_request", OpenedPr(repo, 2, $"optio/{movedOn.Id}"));

        Assert.Equal(before, (await EventCountAsync(completed.Id), await EventCountAsync(movedOn.Id)));
        var followed = await Host.GetTaskAsync(movedOn.Id);
        Assert.Equal((TaskState.PrOpened, $"https://github.com/acme/{repo}/pull/3"), (followed.State, followed.PrUrl));
    }

    [Fact]
    public async Task A_replayed_close_does_not_fail_a_task_whose_pr_was_reopened()
    {
        var repo = NewRepo("rp");
        GitHub.AddPull("acme", repo, 2, "feature");
        var prUrl = $"https://github.com/acme/{repo}/pull/2";
        var task = await Host.CreateTaskAsync("Reopened PR", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr(prUrl));
        // The PR was closed (the task failed), then reopened and the task retried and following it again.
        await Host.DecideAsync(task.Id, t => t.CloseUnmerged(prUrl));
        await Host.DecideAsync(task.Id, t => t.Retry());
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr(prUrl));

        var closed = GitHubDeliveries.Payload("pull_request.closed", "acme", repo);
        closed["pull_request"]!["merged"] = false;
        await ReplayAsync("pull_request", closed);

        await Eventually.Until(() => Task.FromResult(GitHub.RequestsTo(FakeGitHub.PullRoutes.GetPull).Count(r => r.PathAndQuery.Contains($"/{repo}/"))),
            reads => reads > 0, what: "Optio reading the PR as it is now");
        Assert.Equal(TaskState.PrOpened, (await Host.GetTaskAsync(task.Id)).State);
    }

    [Fact]
    public async Task A_replayed_merge_of_a_completed_task_changes_nothing()
    {
        var repo = NewRepo("rm");
        var task = await Host.CreateTaskAsync("Merged", $"https://github.com/acme/{repo}");
        await Host.MergeAsync(task.Id, $"https://github.com/acme/{repo}/pull/2");
        var events = await EventCountAsync(task.Id);

        var merged = GitHubDeliveries.Payload("pull_request.closed", "acme", repo);
        merged["pull_request"]!["merged"] = true;
        await ReplayAsync("pull_request", merged);
        merged["pull_request"]!["merged"] = false;
        await ReplayAsync("pull_request", merged);

        Assert.Equal(events, await EventCountAsync(task.Id));
        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(task.Id)).State);
    }

    [Fact]
    public async Task Replayed_reviews_and_ci_results_do_nothing_to_a_task_that_left_pr_opened()
    {
        var repo = NewRepo("rv");
        GitHub.AddPull("acme", repo, 2, "feature");
        GitHub.EditPull("acme", repo, 2, p =>
        {
            p.Reviews.Add(new FakeReview("bob", "CHANGES_REQUESTED"));
            p.CheckRuns.Add(new FakeCheckRun("tests", "failure"));
        });
        var task = await Host.CreateTaskAsync("Cancelled with a PR", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        await Host.DecideAsync(task.Id, t => t.OpenPr($"https://github.com/acme/{repo}/pull/2"));
        await Host.DecideAsync(task.Id, t => t.Cancel("abandoned"));
        var events = await EventCountAsync(task.Id);

        var review = GitHubDeliveries.Payload("pull_request_review.submitted", "acme", repo);
        review["pull_request"]!["number"] = 2;
        await ReplayAsync("pull_request_review", review);
        await ReplayAsync("check_suite", GitHubDeliveries.Payload("check_suite.completed", "acme", repo));
        var run = GitHubDeliveries.Payload("check_suite.completed", "acme", repo);
        run["check_run"] = new JsonObject { ["check_suite"] = run["check_suite"]!.DeepClone() };
        run.Remove("check_suite");
        await ReplayAsync("check_run", run);
        await Host.Services.GetRequiredService<Optio.Api.PullRequests.PullRequestPoller>().PollTaskAsync(task.Id, default);

        Assert.Equal(events, await EventCountAsync(task.Id));
        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(task.Id)).State);
    }
}
