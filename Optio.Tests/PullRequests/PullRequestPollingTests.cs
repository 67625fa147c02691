using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Tickets;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Integrations.GitHub;
using Optio.Api.PullRequests;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.PullRequests;

[Collection(TicketsCollection.Name)]
public class PullRequestPollingTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;
    PullRequestPoller Poller => Host.Services.GetRequiredService<PullRequestPoller>();
    PolledResponseCache Responses => Host.Services.GetRequiredService<PolledResponseCache>();

    /// <summary>A running task on a fresh repo the fake knows, with its PR (number 1) on branch optio/&lt;id&gt;.</summary>
    /// <param name="repo">An existing repo of the fake to add the PR (number <paramref name="number"/>) to.</param>
    async Task<(Guid TaskId, string Repo, string PrUrl)> RunningTaskWithPrAsync(bool reported, string? repo = null, int number = 1)
    {
        if (repo is null) GitHub.AddRepo("acme", repo = $"pr{Guid.NewGuid():N}"[..12]);
        var task = await Host.CreateTaskAsync("Build it", $"https://github.com/acme/{repo}");
        await Host.DecideAsync(task.Id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(task.Id, t => t.Start("runner"));
        GitHub.AddPull("acme", repo, number, $"optio/{task.Id}");
        var url = $"https://github.com/acme/{repo}/pull/{number}";
        if (reported) await Host.DecideAsync(task.Id, t => t.OpenPr(url));
        return (task.Id, repo, url);
    }

    async Task<IReadOnlyList<string>> EventTypesAsync(Guid id)
    {
        var json = System.Text.Json.JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{id}/events"))).ReadAsTextAsync());
        return json.RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList();
    }

    [Fact]
    public async Task The_poller_finds_the_pr_of_a_running_task_by_its_branch_and_links_it_once()
    {
        var (id, _, url) = await RunningTaskWithPrAsync(reported: false);

        Assert.True(await Poller.PollTaskAsync(id, default));
        await Poller.PollTaskAsync(id, default);

        var task = await Host.GetTaskAsync(id);
        Assert.Equal((TaskState.PrOpened, url), (task.State, task.PrUrl));
        Assert.Single(await EventTypesAsync(id), "pr_opened");
    }

    [Fact]
    public async Task A_merged_pr_completes_the_task()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        GitHub.EditPull("acme", repo, 1, p => { p.State = "closed"; p.Merged = true; });

        await Poller.PollTaskAsync(id, default);

        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(id)).State);
    }

    [Fact]
    public async Task A_pr_closed_without_merge_fails_the_task_with_the_reason()
    {
        var (id, repo, url) = await RunningTaskWithPrAsync(reported: true);
        GitHub.EditPull("acme", repo, 1, p => p.State = "closed");

        await Poller.PollTaskAsync(id, default);

        var task = await Host.GetTaskAsync(id);
        Assert.Equal(TaskState.Failed, task.State);
        Assert.Contains($"{url} was closed without being merged", task.Reason);
    }

    [Fact]
    public async Task Failing_ci_needs_attention_and_passing_ci_puts_it_back()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        GitHub.EditPull("acme", repo, 1, p => { p.CheckRuns.Add(new FakeCheckRun("build", "failure")); p.Statuses.Add(new FakeCommitStatus("lint", "error")); });

        await Poller.PollTaskAsync(id, default);
        var flagged = await Host.GetTaskAsync(id);
        Assert.Equal((TaskState.NeedsAttention, "CI failing: build, lint"), (flagged.State, flagged.Reason));

        GitHub.EditPull("acme", repo, 1, p => { p.CheckRuns.Clear(); p.CheckRuns.Add(new FakeCheckRun("build", "success")); p.Statuses.Clear(); });
        await Poller.PollTaskAsync(id, default);
        Assert.Equal(TaskState.PrOpened, (await Host.GetTaskAsync(id)).State);
    }

    [Fact]
    public async Task Changes_requested_need_attention_until_the_reviewer_approves()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        GitHub.EditPull("acme", repo, 1, p => { p.Reviews.Add(new FakeReview("alice", "CHANGES_REQUESTED")); p.Reviews.Add(new FakeReview("alice", "COMMENTED")); });

        await Poller.PollTaskAsync(id, default);
        Assert.Equal((TaskState.NeedsAttention, "changes requested by alice"), ((await Host.GetTaskAsync(id)).State, (await Host.GetTaskAsync(id)).Reason));

        GitHub.EditPull("acme", repo, 1, p => p.Reviews.Add(new FakeReview("alice", "APPROVED")));
        await Poller.PollTaskAsync(id, default);
        Assert.Equal(TaskState.PrOpened, (await Host.GetTaskAsync(id)).State);
    }

    [Fact]
    public async Task An_unchanged_pr_costs_only_304s_and_writes_nothing()
    {
        var (id, _, _) = await RunningTaskWithPrAsync(reported: true);
        await Poller.PollTaskAsync(id, default);
        var version = (await Host.GetTaskAsync(id)).Version;
        var before = GitHub.Requests.Count;

        Assert.False(await Poller.PollTaskAsync(id, default));

        var polled = GitHub.Requests.Skip(before).ToList();
        Assert.Equal(4, polled.Count); // the PR, its check runs, its combined status, its reviews
        Assert.All(polled, r => Assert.Equal(304, r.Status));
        Assert.Equal(version, (await Host.GetTaskAsync(id)).Version);
    }

    [Fact]
    public async Task A_merged_pr_on_a_task_needing_attention_still_completes()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        GitHub.EditPull("acme", repo, 1, p => p.CheckRuns.Add(new FakeCheckRun("build", "failure")));
        await Poller.PollTaskAsync(id, default);
        GitHub.EditPull("acme", repo, 1, p => { p.State = "closed"; p.Merged = true; });

        await Poller.PollTaskAsync(id, default);

        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(id)).State);
        Assert.Equal(["pr_needs_attention", "pr_attention_cleared", "pr_merged"], (await EventTypesAsync(id)).TakeLast(3));
    }

    [Fact]
    public async Task Once_the_pr_merges_the_pages_read_for_it_leave_the_response_cache()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        await Poller.PollTaskAsync(id, default);
        Assert.Equal(4, Responses.CountFor(id)); // the PR, its check runs, its combined status, its reviews

        GitHub.EditPull("acme", repo, 1, p => { p.State = "closed"; p.Merged = true; });
        await Poller.PollTaskAsync(id, default);

        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(id)).State);
        Assert.Equal(0, Responses.CountFor(id));
    }

    [Fact]
    public async Task A_task_that_stops_following_its_pr_elsewhere_leaves_the_response_cache_at_the_next_cycle()
    {
        var (id, _, _) = await RunningTaskWithPrAsync(reported: true);
        await Poller.PollTaskAsync(id, default);
        Assert.Equal(4, Responses.CountFor(id));

        await Host.DecideAsync(id, t => t.Cancel("no longer wanted"));
        await Poller.PollAllAsync(default);

        Assert.Equal(0, Responses.CountFor(id));
    }

    /// <summary>A task born from ticket github:acme/&lt;repo&gt;#42 (synced from a fresh repo), running without a PR.</summary>
    async Task<(Guid TaskId, string Repo)> RunningTicketTaskAsync()
    {
        var repo = $"fx{Guid.NewGuid():N}"[..12];
        GitHub.AddRepo("acme", repo);
        for (var n = 1; n < 42; n++) GitHub.AddIssue("acme", repo, $"Unlabelled {n}");
        GitHub.AddIssue("acme", repo, "Fix the cache", labels: ["optio"]);
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));
        var id = TicketKey.GitHub("acme", repo, 42).TaskId;
        await Host.DecideAsync(id, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await Host.DecideAsync(id, t => t.Start("runner"));
        return (id, repo);
    }

    [Fact]
    public async Task A_pr_that_says_it_fixes_the_ticket_is_linked_by_polling_alone()
    {
        var (id, repo) = await RunningTicketTaskAsync();
        GitHub.AddPull("acme", repo, 5, "feature/cache", body: "Fixes #42");

        await Poller.PollAllAsync(default);

        var task = await Host.GetTaskAsync(id);
        Assert.Equal((TaskState.PrOpened, $"https://github.com/acme/{repo}/pull/5"), (task.State, task.PrUrl));
        Assert.Single(await EventTypesAsync(id), "pr_opened");
    }

    [Fact]
    public async Task A_second_cycle_with_no_pr_changes_costs_one_304_for_the_repositorys_pr_list()
    {
        var (id, repo) = await RunningTicketTaskAsync();
        GitHub.AddPull("acme", repo, 5, "feature/other", body: "Fixes #7");
        await Poller.PollAllAsync(default);
        var before = GitHub.Requests.Count;

        await Poller.PollAllAsync(default);

        var request = Assert.Single(GitHub.Requests.Skip(before), r => r.PathAndQuery.StartsWith($"/repos/acme/{repo}/", StringComparison.Ordinal));
        Assert.Equal((FakeGitHub.PullRoutes.ListPulls, 304), (request.Route, request.Status));
        Assert.Equal(TaskState.Running, (await Host.GetTaskAsync(id)).State);
    }

    IReadOnlyList<RecordedRequest> RequestsFor(string repo, int since) =>
        GitHub.Requests.Skip(since).Where(r => r.PathAndQuery.StartsWith($"/repos/acme/{repo}/", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task A_cycle_over_unchanged_prs_whose_ci_settled_costs_one_conditional_request_for_their_repository()
    {
        var (first, repo, _) = await RunningTaskWithPrAsync(reported: true);
        var (second, _, _) = await RunningTaskWithPrAsync(reported: true, repo, number: 2);
        GitHub.ReportCi("acme", repo, 1, p => p.CheckRuns.Add(new FakeCheckRun("build", "success")));
        await Poller.PollAllAsync(default); // reads both PRs once
        var before = GitHub.Requests.Count;

        await Poller.PollAllAsync(default);

        var request = Assert.Single(RequestsFor(repo, before));
        Assert.Equal((FakeGitHub.PullRoutes.ListPulls, 304), (request.Route, request.Status));
        Assert.Equal((TaskState.PrOpened, TaskState.PrOpened), ((await Host.GetTaskAsync(first)).State, (await Host.GetTaskAsync(second)).State));
    }

    [Fact]
    public async Task A_pr_changed_on_github_is_read_at_the_next_cycle_and_only_it()
    {
        var (merging, repo, _) = await RunningTaskWithPrAsync(reported: true);
        var (unchanged, _, _) = await RunningTaskWithPrAsync(reported: true, repo, number: 2);
        await Poller.PollAllAsync(default);
        GitHub.EditPull("acme", repo, 1, p => { p.State = "closed"; p.Merged = true; });
        var before = GitHub.Requests.Count;

        await Poller.PollAllAsync(default);

        Assert.Equal(TaskState.Completed, (await Host.GetTaskAsync(merging)).State);
        Assert.Equal(TaskState.PrOpened, (await Host.GetTaskAsync(unchanged)).State);
        Assert.DoesNotContain(RequestsFor(repo, before), r => r.PathAndQuery.StartsWith($"/repos/acme/{repo}/pulls/2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pr_whose_ci_is_running_is_read_every_cycle_until_its_ci_settles()
    {
        var (id, repo, _) = await RunningTaskWithPrAsync(reported: true);
        GitHub.ReportCi("acme", repo, 1, p => p.CheckRuns.Add(new FakeCheckRun("build", null)));
        await Poller.PollAllAsync(default);
        var before = GitHub.Requests.Count;

        // CI finishes: the PR's updated_at stays, its list answers 304, yet the PR is read because its CI was running.
        GitHub.ReportCi("acme", repo, 1, p => p.CheckRuns[0] = new FakeCheckRun("build", "failure"));
        await Poller.PollAllAsync(default);
        var flagged = await Host.GetTaskAsync(id);
        Assert.Equal((TaskState.NeedsAttention, "CI failing: build"), (flagged.State, flagged.Reason));
        Assert.Contains(RequestsFor(repo, before), r => r.Route == FakeGitHub.PullRoutes.CheckRuns);

        before = GitHub.Requests.Count;
        await Poller.PollAllAsync(default);
        var settled = Assert.Single(RequestsFor(repo, before));
        Assert.Equal(FakeGitHub.PullRoutes.ListPulls, settled.Route);
    }
}
