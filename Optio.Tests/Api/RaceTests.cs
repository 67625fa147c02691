using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Infrastructure;
using Wolverine;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Tests.Api;

[Collection(RacesCollection.Name)]
public class RaceTests(RacesHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Runners_claiming_at_once_never_get_the_same_task()
    {
        await DrainQueueAsync();
        var created = new List<Guid>();
        for (var i = 0; i < 6; i++) created.Add((await Host.CreateTaskAsync($"race {i}")).Id);

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Host.ClaimAsync($"runner-{i}")));

        var granted = claims.Where(c => c is not null).Select(c => c!).ToList();
        Assert.Equal(6, granted.Count);
        Assert.Equal(created.Order(), granted.Select(c => c.Id).Order());
        foreach (var task in granted)
        {
            var events = await EventsOfAsync(task.Id);
            Assert.Single(events.OfType<TaskClaimed>());
        }
    }

    [Fact]
    public async Task Claim_takes_the_oldest_queued_task_and_204_when_none_left()
    {
        await DrainQueueAsync();
        var older = await Host.CreateTaskAsync("older");
        var newer = await Host.CreateTaskAsync("newer");

        Assert.Equal(older.Id, (await Host.ClaimAsync("r1"))!.Id);
        Assert.Equal(newer.Id, (await Host.ClaimAsync("r2"))!.Id);
        Assert.Null(await Host.ClaimAsync("r3"));
    }

    [Fact]
    public async Task Bad_claims_are_400()
    {
        await Host.PostAsync("/api/tasks/claim", new { leaseSeconds = 30 }, 400);
        await Host.PostAsync("/api/tasks/claim", new { runnerId = "r", leaseSeconds = 999_999 }, 400);
    }

    [Fact]
    public async Task An_expired_claim_goes_back_to_the_queue_and_a_running_one_fails()
    {
        await DrainQueueAsync();
        var claimedOnly = await Host.CreateTaskAsync("claimed only");
        var running = await Host.CreateTaskAsync("running");
        Assert.Equal(claimedOnly.Id, (await Host.ClaimAsync("sleepy", leaseSeconds: 30))!.Id);
        Assert.Equal(running.Id, (await Host.ClaimAsync("crashy", leaseSeconds: 30))!.Id);
        await Host.StartAsync(running.Id);

        var sweeper = Host.Services.GetRequiredService<LeaseExpiry>();
        api.Clock.Advance(TimeSpan.FromSeconds(29));
        await sweeper.SweepAsync(default);
        Assert.Equal(TaskState.Provisioning, (await Host.GetTaskAsync(claimedOnly.Id)).State);

        api.Clock.Advance(TimeSpan.FromSeconds(2));
        await sweeper.SweepAsync(default);

        var requeued = await Host.GetTaskAsync(claimedOnly.Id);
        Assert.Equal(TaskState.Queued, requeued.State);
        Assert.Contains("runner 'sleepy' stopped sending heartbeats", requeued.Reason);
        Assert.Single((await EventsOfAsync(claimedOnly.Id)).OfType<TaskRequeued>());
        var failed = await Host.GetTaskAsync(running.Id);
        Assert.Equal(TaskState.Failed, failed.State);
        Assert.Contains("lease expired", failed.Reason);
    }

    [Fact]
    public async Task A_heartbeat_keeps_the_claim()
    {
        await DrainQueueAsync();
        var task = await Host.CreateTaskAsync("kept alive");
        await Host.ClaimAsync("steady", leaseSeconds: 30);
        api.Clock.Advance(TimeSpan.FromSeconds(20));
        await Host.PostForTaskAsync($"/api/tasks/{task.Id}/heartbeat", new { runnerId = "steady", leaseSeconds = 30 });
        api.Clock.Advance(TimeSpan.FromSeconds(20));

        await Host.Services.GetRequiredService<LeaseExpiry>().SweepAsync(default);

        Assert.Equal(TaskState.Provisioning, (await Host.GetTaskAsync(task.Id)).State);
        await Host.PostAsync($"/api/tasks/{task.Id}/heartbeat", new { runnerId = "someone-else" }, 409);
    }

    [Fact]
    public async Task A_lease_that_ran_out_while_the_service_was_down_is_taken_back_after_restart()
    {
        await DrainQueueAsync();
        var task = await Host.CreateTaskAsync("orphaned by a crash");
        await Host.ClaimAsync("ghost", leaseSeconds: 10);

        // A fresh host on the same database, its clock past the lease: a restart after downtime.
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(api.Clock.GetUtcNow().AddMinutes(5));
        await using var restarted = await ApiHost.StartHostAsync(api.ConnectionString, later);
        await restarted.Services.GetRequiredService<LeaseExpiry>().SweepAsync(default);

        Assert.Equal(TaskState.Queued, (await Host.GetTaskAsync(task.Id)).State);
    }

    [Fact]
    public async Task Concurrent_imports_of_one_ticket_make_exactly_one_task()
    {
        var repo = $"race-{Guid.NewGuid():N}";
        var shared = Ticket(repo, 42);
        var batches = Enumerable.Range(0, 8)
            .Select(i => new[] { shared, Ticket(repo, 100 + i % 3), Ticket(repo, 42) })
            .ToList();

        var results = await Task.WhenAll(batches.Select(b => Task.Run(() => Host.ImportAsync(b))));

        Assert.Equal(4, results.Sum(r => r.Imported)); // #42, #100, #101, #102
        await using var session = api.Store.QuerySession();
        var rows = await session.Query<TaskSummary>().Where(x => x.Ticket!.ExternalId.StartsWith($"acme/{repo}#")).ToListAsync();
        Assert.Equal(4, rows.Count);
        var task42 = Assert.Single(rows, r => r.Ticket!.ExternalId == $"acme/{repo}#42");
        Assert.Equal(TicketKey.GitHub("acme", repo, 42).TaskId, task42.Id);
        Assert.Equal(2, (await session.Events.FetchStreamAsync(task42.Id)).Count); // TicketImported + TaskQueued, once
    }

    [Fact]
    public async Task A_ticket_that_already_has_a_task_is_counted_as_a_duplicate_and_changes_nothing()
    {
        var ticket = Ticket($"dup-{Guid.NewGuid():N}", 1);
        var first = await Host.ImportAsync([ticket]);
        Assert.Equal((1, 0), (first.Imported, first.Duplicates));
        await Host.CancelAsync(ticket.Ticket.Key.TaskId, "not now");

        var again = await Host.ImportAsync([ticket]);
        Assert.Equal((0, 1), (again.Imported, again.Duplicates));
        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(ticket.Ticket.Key.TaskId)).State);
    }

    static IncomingTicket Ticket(string repo, int number) => TaskDriver.GitHubTicket("acme", repo, number, $"Issue {number}", "Body");

    async Task<IReadOnlyList<object>> EventsOfAsync(Guid id)
    {
        await using var session = api.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).ToList();
    }

    /// <summary>Tests in this collection share one queue: empty it so each starts from nothing queued.</summary>
    async Task DrainQueueAsync()
    {
        await using var session = api.Store.QuerySession();
        var queued = await session.Query<TaskSummary>().Where(x => x.State == TaskState.Queued).Select(x => x.Id).ToListAsync();
        foreach (var id in queued)
            await Host.CancelAsync(id, "drained by test");
    }
}
