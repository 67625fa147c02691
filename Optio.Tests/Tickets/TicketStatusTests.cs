using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Domain.PullRequests;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>Live status on GitHub issues: one comment edited in place, exactly one Optio state label at a time.</summary>
[Collection(TicketsCollection.Name)]
public class GitHubTicketStatusTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    async Task<(string Repo, Guid TaskId)> QueuedTaskAsync(bool? publishStatus = null)
    {
        var repo = $"st{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "Show your work", "body", ["optio", "bug"]);
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}", publishStatus: publishStatus));
        return (repo, TicketKey.GitHub("acme", repo, 1).TaskId);
    }

    /// <summary>Waits until the issue's comments show <paramref name="state"/>; returns the issue then.</summary>
    Task<FakeIssue> ShowsAsync(string repo, string state) =>
        Eventually.Until(() => Task.FromResult(GitHub.Issue("acme", repo, 1)),
            i => i.Comments.Any(c => c.StartsWith($"Optio status: **{state}**")), what: $"the status comment to say {state}");

    static string[] OptioLabels(FakeIssue issue) => [.. issue.Labels.Where(l => l.StartsWith("optio:"))];

    int Requests(string route, string repo) => GitHub.RequestsTo(route).Count(r => r.PathAndQuery.Contains($"/{repo}/"));

    async Task<string[]> EventTypesAsync(Guid taskId) =>
        [.. JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync())
            .RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];

    [Fact]
    public async Task One_comment_follows_the_task_through_its_whole_life_with_exactly_one_state_label_at_a_time()
    {
        var (repo, taskId) = await QueuedTaskAsync();
        var pr = $"https://github.com/acme/{repo}/pull/9";

        var issue = await ShowsAsync(repo, "Queued");
        Assert.Equal(["optio:queued"], OptioLabels(issue));
        Assert.Equal(TicketStatus.LabelColours["optio:queued"], GitHub.Label("acme", repo, "optio:queued")!.Color);
        GitHub.Edit("acme", repo, 1, i => i.Labels.Add("needs-review")); // a person's label, added meanwhile

        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), Now));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
        Assert.Equal(["optio:running"], OptioLabels(await ShowsAsync(repo, "Running")));
        await Host.DecideAsync(taskId, t => t.OpenPr(pr));
        Assert.Equal(["optio:pr-open"], OptioLabels(await ShowsAsync(repo, "Pull request opened")));
        await Host.DecideAsync(taskId, t => t.NeedAttention("CI is failing"));
        issue = await ShowsAsync(repo, "Needs attention");
        Assert.Contains("CI is failing", issue.Comments.Single());
        Assert.Equal(["optio:needs-attention"], OptioLabels(issue));
        await Host.DecideAsync(taskId, t => t.Observe(new PrObservation(pr, Open: false, Merged: true)));
        issue = await ShowsAsync(repo, "Done");

        Assert.Equal(["optio:done"], OptioLabels(issue));
        Assert.Contains(pr, Assert.Single(issue.Comments));
        Assert.Equal(1, Requests(FakeGitHub.Routes.CreateComment, repo));
        Assert.True(Requests(FakeGitHub.StatusRoutes.UpdateComment, repo) >= 4);
        Assert.Contains("optio", issue.Labels);
        Assert.Contains("bug", issue.Labels);
        Assert.Contains("needs-review", issue.Labels);
        Assert.True((await EventTypesAsync(taskId)).Count(t => t == "ticket_status_published") >= 5);
    }

    [Fact]
    public async Task Optios_state_label_on_a_queued_issue_is_not_followed_by_the_next_sync_as_a_ticket_edit()
    {
        var repo = $"sl{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "Labelled by Optio", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        await ShowsAsync(repo, "Queued");

        await api.SyncNowAsync(provider);

        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;
        Assert.DoesNotContain("ticket_updated", await EventTypesAsync(taskId));
        Assert.Equal(["optio"], (await Host.GetTaskAsync(taskId)).Ticket!.Labels);
    }

    [Fact]
    public async Task A_failed_task_shows_failed_and_a_cancelled_one_drops_the_state_label()
    {
        var (repo, taskId) = await QueuedTaskAsync();
        await ShowsAsync(repo, "Queued");
        await Host.DecideAsync(taskId, t => t.Fail("the agent gave up"));
        var issue = await ShowsAsync(repo, "Failed");
        Assert.Equal(["optio:failed"], OptioLabels(issue));

        await Host.DecideAsync(taskId, t => t.Retry());
        await ShowsAsync(repo, "Queued");
        await Host.DecideAsync(taskId, t => t.Cancel("not needed"));
        issue = await ShowsAsync(repo, "Cancelled");

        Assert.Empty(OptioLabels(issue));
        Assert.Contains("not needed", Assert.Single(issue.Comments));
    }

    [Fact]
    public async Task A_status_comment_someone_deleted_is_written_again_once()
    {
        var (repo, taskId) = await QueuedTaskAsync();
        var issue = await ShowsAsync(repo, "Queued");
        GitHub.DeleteCommentOf("acme", repo, 1, issue.CommentIds.Single());

        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), Now));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
        issue = await ShowsAsync(repo, "Running");
        await Host.DecideAsync(taskId, t => t.OpenPr($"https://github.com/acme/{repo}/pull/3"));
        issue = await ShowsAsync(repo, "Pull request opened");

        Assert.Single(issue.Comments);
        Assert.Equal(2, Requests(FakeGitHub.Routes.CreateComment, repo));
        Assert.Single(GitHub.RequestsTo(FakeGitHub.StatusRoutes.UpdateComment), r => r.PathAndQuery.Contains($"/{repo}/") && r.Status == 404);
    }

    [Fact]
    public async Task A_burst_of_five_state_changes_in_a_second_costs_at_most_two_edits()
    {
        var (repo, taskId) = await QueuedTaskAsync();
        await ShowsAsync(repo, "Queued");
        var pr = $"https://github.com/acme/{repo}/pull/4";
        var started = DateTime.UtcNow;

        await Host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), Now));
        await Host.DecideAsync(taskId, t => t.Start("runner"));
        await Host.DecideAsync(taskId, t => t.OpenPr(pr));
        await Host.DecideAsync(taskId, t => t.NeedAttention("changes requested"));
        await Host.DecideAsync(taskId, t => t.OpenPr(pr));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(1), "the burst took longer than a second");
        await ShowsAsync(repo, "Pull request opened");
        await Task.Delay(TimeSpan.FromSeconds(2)); // whatever else the burst set off has run by now

        Assert.InRange(Requests(FakeGitHub.StatusRoutes.UpdateComment, repo), 1, 2);
        Assert.Equal(1, Requests(FakeGitHub.Routes.CreateComment, repo));
        Assert.Equal(["optio:pr-open"], OptioLabels(GitHub.Issue("acme", repo, 1)));
    }

    [Fact]
    public async Task With_publish_status_off_nothing_is_sent_to_the_ticket()
    {
        var (quiet, quietTask) = await QueuedTaskAsync(publishStatus: false);
        var (canary, canaryTask) = await QueuedTaskAsync();
        foreach (var id in new[] { quietTask, canaryTask })
        {
            await Host.DecideAsync(id, t => t.Claim("runner", TimeSpan.FromMinutes(5), Now));
            await Host.DecideAsync(id, t => t.Start("runner"));
            await Host.DecideAsync(id, t => t.Fail("stop"));
        }
        await ShowsAsync(canary, "Failed"); // the same queue has handled the quiet task's changes by now

        var issue = GitHub.Issue("acme", quiet, 1);
        Assert.Empty(issue.Comments);
        Assert.Empty(OptioLabels(issue));
        Assert.Equal(0, GitHub.Requests.Count(r => r.PathAndQuery.Contains($"/{quiet}/") && r.Method != "GET"));
        Assert.DoesNotContain("ticket_status_published", await EventTypesAsync(quietTask));
        var provider = JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url("/api/tickets/providers"))).ReadAsTextAsync()).RootElement;
        Assert.Contains(provider.EnumerateArray(), p => p.GetProperty("config").TryGetProperty("publishStatus", out var on) && on.GetBoolean() == false);
    }

    [Fact]
    public async Task A_publish_that_keeps_failing_is_recorded_on_the_task_with_the_reason()
    {
        var repo = $"sf{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "GitHub is down", "body", ["optio"]);
        GitHub.FailNext(100, FakeGitHubFault.ServerError, r => r.Route == FakeGitHub.Routes.CreateComment && r.PathAndQuery.Contains($"/{repo}/"));
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));
        var taskId = TicketKey.GitHub("acme", repo, 1).TaskId;

        var events = await Eventually.Until(() => EventTypesAsync(taskId), e => e.Contains("ticket_status_publish_failed"), what: "the failure recorded");

        Assert.DoesNotContain("ticket_status_published", events);
        var json = await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync();
        Assert.Contains("GitHub failed with 500", json);
        Assert.Equal(3, Requests(FakeGitHub.Routes.CreateComment, repo)); // the first attempt and the two configured retries
    }

    [Fact]
    public async Task A_rate_limited_publish_waits_as_github_says_and_then_shows_the_status_once()
    {
        var repo = $"sr{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "Slow down", "body", ["optio"]);
        GitHub.FailNext(1, FakeGitHubFault.SecondaryRateLimit(1), r => r.Route == FakeGitHub.Routes.CreateComment && r.PathAndQuery.Contains($"/{repo}/"));
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));

        var issue = await ShowsAsync(repo, "Queued");

        Assert.Single(issue.Comments);
        var creates = GitHub.RequestsTo(FakeGitHub.Routes.CreateComment).Where(r => r.PathAndQuery.Contains($"/{repo}/")).ToList();
        Assert.Equal((2, 403), (creates.Count, creates[0].Status));
        Assert.True(creates[1].ReceivedAt - creates[0].ReceivedAt >= TimeSpan.FromSeconds(0.9), "retried before GitHub's Retry-After");
        Assert.DoesNotContain("ticket_status_publish_failed", await EventTypesAsync(TicketKey.GitHub("acme", repo, 1).TaskId));
    }
}
