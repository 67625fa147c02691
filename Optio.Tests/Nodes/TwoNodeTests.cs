using System.Text.Json;
using Alba;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.Tickets;
using Optio.Api.Core;
using Optio.Api.PullRequests;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;
using Wolverine.Runtime;

namespace Optio.Tests.Nodes;

/// <summary>Two Optio nodes (separate hosts, containers and connection pools) sharing one PostgreSQL.</summary>
[Collection(NodesCollection.Name)]
[Trait("Category", "Faults")]
public class TwoNodeTests(NodesHost api)
{
    [Fact]
    public async Task Two_nodes_syncing_and_assigning_the_same_tickets_make_one_task_each()
    {
        await using var nodeB = await ClusterNode.StartAsync(api);
        var repo = $"two{Guid.NewGuid():N}"[..12];
        api.GitHub.AddRepo("acme", repo);
        for (var i = 1; i <= 60; i++) api.GitHub.AddIssue("acme", repo, $"Issue {i}", "body", ["optio"]);
        await nodeB.Scenario(s => { s.Post.Json(new { url = $"https://github.com/acme/{repo}" }).ToUrl("/api/repos"); s.StatusCodeShouldBe(201); });
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var syncA = api.Host.Services.GetRequiredService<ProviderSync>();
        var syncB = nodeB.Services.GetRequiredService<ProviderSync>();

        var outcomes = await Task.WhenAll(
            Task.Run(() => syncA.RunAsync(provider, "schedule", default)),
            Task.Run(() => syncB.RunAsync(provider, "schedule", default)),
            Task.Run(async () => { await nodeB.Scenario(s => { s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/7" }).ToUrl("/api/issues/assign"); s.IgnoreStatusCode(); }); return SyncOutcome.Skipped; }),
            Task.Run(async () => { await api.Host.Scenario(s => { s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/8" }).ToUrl("/api/issues/assign"); s.IgnoreStatusCode(); }); return SyncOutcome.Skipped; }),
            Task.Run(async () => { await nodeB.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 9, "Issue 9", "body")); return SyncOutcome.Skipped; }));
        await api.SyncNowAsync(provider);

        Assert.Contains(outcomes, o => o is SyncOutcome.Succeeded or SyncOutcome.Busy);
        await using var session = api.Store.QuerySession();
        var tasks = await session.Query<TaskSummary>().Where(x => x.Ticket!.ExternalId.StartsWith($"acme/{repo}#")).ToListAsync();
        Assert.Equal(60, tasks.Count);
        var imports = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(tasks.Select(t => t.Id).ToArray()) && e.EventTypeName == "ticket_imported").CountAsync();
        Assert.Equal(60, imports);
        Assert.All(tasks, t => Assert.Equal(TicketKey.Parse($"github:{t.Ticket!.ExternalId}").TaskId, t.Id));
    }

    [Fact]
    public async Task A_provider_is_synced_by_one_node_at_a_time()
    {
        await using var nodeB = await ClusterNode.StartAsync(api);
        var repo = $"one{Guid.NewGuid():N}"[..12];
        api.GitHub.AddRepo("acme", repo);
        for (var i = 1; i <= 300; i++) api.GitHub.AddIssue("acme", repo, $"Issue {i}", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(provider);
        api.GitHub.Edit("acme", repo, 1, i => i.Title = "changed"); // so the next syncs have work to do

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => (i % 2 == 0 ? api.Host : nodeB).Services.GetRequiredService<ProviderSync>().RunAsync(provider, "race", default))));

        Assert.Contains(SyncOutcome.Busy, outcomes);
        Assert.Contains(SyncOutcome.Succeeded, outcomes);
        var task = await api.Host.GetTaskAsync(TicketKey.GitHub("acme", repo, 1).TaskId);
        Assert.Equal("changed", task.Title);
        var events = JsonDocument.Parse(await (await api.Host.Scenario(s => s.Get.Url($"/api/tasks/{task.Id}/events"))).ReadAsTextAsync());
        Assert.Equal(1, events.RootElement.EnumerateArray().Count(e => e.GetProperty("type").GetString() == "ticket_updated"));
    }

    [Fact]
    public async Task The_schedule_queues_each_provider_once_per_interval_across_the_pair()
    {
        await using var nodeB = await ClusterNode.StartAsync(api);
        var repo = $"tick{Guid.NewGuid():N}"[..12];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "One", "body", ["optio"]);
        var provider = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var first = await api.FirstSyncAsync(provider);
        int Lists() => api.GitHub.RequestsTo(FakeGitHub.Routes.ListIssues).Count(r => r.PathAndQuery.Contains(repo));
        var before = Lists();
        // The leader spreads the agents over the pair once the second node joins: a schedule agent moved after the clock
        // advances starts its interval afresh, so advance only once its place has held for a few health checks.
        await ScheduleSettledAsync(api.Host, nodeB);

        api.Clock.Advance(TimeSpan.FromSeconds(61)); // both nodes' timers are due
        await Eventually.Until(() => api.StatusAsync(provider), s => s.LastSyncStartedAt > first.LastSyncStartedAt, what: "the scheduled sync");
        // Kept: only one node holds the schedule agent, and a node without it does nothing at all, so there is no
        // message or stored position to wait for; give a wrongly queued second sync time to show.
        await Task.Delay(1500);

        Assert.Equal(1, Lists() - before);
    }

    /// <summary>
    /// Until the sync schedule's agent has run on the same one node of the pair for three health checks (a second each),
    /// read from what each node's Wolverine runtime actually runs.
    /// </summary>
    static async Task ScheduleSettledAsync(params IAlbaHost[] nodes)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (int? Node, int Reads) held = (null, 0);
        while (held.Reads < 3)
        {
            var running = nodes.Select(n => n.Services.GetRequiredService<IWolverineRuntime>().Agents.AllRunningAgentUris()
                .Count(u => u.Scheme == "optio-sync-schedule")).ToArray();
            if (clock.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"The sync schedule's agent did not settle on one node (schedule agents per node: {string.Join(", ", running)}).");
            int? node = running.Sum() == 1 ? Array.IndexOf(running, 1) : null;
            held = node is not null && node == held.Node ? (node, held.Reads + 1) : (node, node is null ? 0 : 1);
            await Task.Delay(1000);
        }
    }
}
