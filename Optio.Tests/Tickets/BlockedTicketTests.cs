using Alba;
using Marten;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.PullRequests;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Tests.Tickets;

/// <summary>A task whose ticket an unfinished ticket blocks is not handed out until the blocker is finished.</summary>
[Collection(TicketsCollection.Name)]
public class BlockedTicketTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task A_linear_issue_blocked_by_an_open_issue_is_skipped_by_claims_then_handed_out_once_the_blocker_is_done()
    {
        var team = api.Linear.AddTeam($"B{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var blocker = api.Linear.AddIssue(team, "Migrate the schema first", ["backend"]);
        var finished = api.Linear.AddIssue(team, "Already done", ["backend"], team.State("Done"));
        var blocked = api.Linear.AddIssue(team, "Needs the migration", ["optio"]);
        blocked.BlockedBy.AddRange([blocker, finished]);
        var free = api.Linear.AddIssue(team, "Blocked only by a finished issue", ["optio"]);
        free.BlockedBy.Add(finished);
        // Status on the ticket is off: its publications are events on the task too, and they land whenever they land.
        var provider = await api.CreateLinearProviderAsync(team.Id, publishStatus: false);
        await api.FirstSyncAsync(provider);
        var blockedId = TicketKey.Linear(blocked.Uuid).TaskId;

        var task = await Host.GetTaskAsync(blockedId);
        var shown = Assert.Single(task.BlockedBy);
        Assert.Equal((blocker.Identifier, blocker.Url), (shown.Identifier, shown.Url));
        Assert.Empty((await Host.GetTaskAsync(TicketKey.Linear(free.Uuid).TaskId)).BlockedBy);

        await DrainQueueAsync(except: [blockedId, TicketKey.Linear(free.Uuid).TaskId]);
        Assert.Equal(TicketKey.Linear(free.Uuid).TaskId, (await Host.ClaimAsync("r", order: "priority"))!.Id);
        Assert.Null(await Host.ClaimAsync("r"));

        // The same blockers seen again write nothing.
        await api.SyncNowAsync(provider);
        Assert.Equal(task.Version, (await Host.GetTaskAsync(blockedId)).Version);

        blocker.State = team.State("Done");
        await api.SyncNowAsync(provider);

        var unblocked = await Host.GetTaskAsync(blockedId);
        Assert.Empty(unblocked.BlockedBy);
        Assert.Equal(blockedId, (await Host.ClaimAsync("r"))!.Id);
        var events = await EventTypesAsync(blockedId);
        Assert.Equal(["ticket_imported", "task_queued", "task_blocked", "task_unblocked", "task_claimed"], events);
    }

    [Fact]
    public async Task A_github_issue_asks_for_its_blockers_only_when_it_has_some_and_is_unblocked_by_the_blockers_close_webhook()
    {
        var repo = $"dep{Guid.NewGuid():N}"[..13];
        var other = $"dep{Guid.NewGuid():N}"[..13];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddRepo("acme", other);
        api.GitHub.AddIssue("acme", other, "Upstream API change", "b", ["infra"]);
        api.GitHub.AddIssue("acme", repo, "Blocked", "b", ["optio"]);
        api.GitHub.AddIssue("acme", repo, "Free", "b", ["optio"]);
        api.GitHub.Block("acme", repo, 1, 1, blockerRepo: other);
        var listsBefore = api.GitHub.Count(FakeGitHub.DependencyRoutes.ListBlockedBy);

        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}", publishStatus: false));

        var asked = api.GitHub.RequestsTo(FakeGitHub.DependencyRoutes.ListBlockedBy).Skip(listsBefore).ToList();
        Assert.Equal($"/repos/acme/{repo}/issues/1/dependencies/blocked_by", Assert.Single(asked).PathAndQuery.Split('?')[0]);
        var blockedId = TicketKey.GitHub("acme", repo, 1).TaskId;
        var blockedBy = Assert.Single((await Host.GetTaskAsync(blockedId)).BlockedBy);
        Assert.Equal($"acme/{other}#1", blockedBy.Identifier);
        Assert.EndsWith($"/acme/{other}/issues/1", blockedBy.Url);

        await DrainQueueAsync(except: [blockedId]);
        Assert.Null(await Host.ClaimAsync("r"));

        api.GitHub.Edit("acme", other, 1, i => i.State = "closed");
        var closed = GitHubDeliveries.Payload("issues.labeled", "acme", other);
        closed["action"] = "closed";
        closed["issue"]!["number"] = 1;
        var body = closed.ToJsonString();
        await Host.PostAsync("issues", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 202);

        var unblocked = await Eventually.Until(() => Host.GetTaskAsync(blockedId), t => t.BlockedBy.Count == 0, what: "the blocker's close to unblock the task");
        Assert.Equal(blockedId, (await Host.ClaimAsync("r"))!.Id);
        Assert.Contains("task_unblocked", await EventTypesAsync(blockedId));
        Assert.Equal(unblocked.Version + 1, (await Host.GetTaskAsync(blockedId)).Version);
    }

    async Task<List<string>> EventTypesAsync(Guid id)
    {
        await using var session = api.Store.QuerySession();
        return [.. (await session.Events.FetchStreamAsync(id)).Select(e => e.EventTypeName)];
    }

    /// <summary>This collection's tests share one queue: cancel what other tests left queued.</summary>
    async Task DrainQueueAsync(Guid[] except)
    {
        await using var session = api.Store.QuerySession();
        var queued = await session.Query<TaskSummary>().Where(x => x.State == TaskState.Queued).Select(x => x.Id).ToListAsync();
        foreach (var id in queued.Except(except))
            await Host.CancelAsync(id, "drained by test");
    }
}
