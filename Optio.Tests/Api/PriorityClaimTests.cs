using System.Text.Json;
using Alba;
using Marten;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tasks;
using Optio.Projections.TaskList;

namespace Optio.Tests.Api;

/// <summary>Claims by priority: urgent first, no priority last, oldest first within a priority, each task once.</summary>
[Collection(RacesCollection.Name)]
public class PriorityClaimTests(RacesHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task Claiming_by_priority_takes_urgent_to_low_then_none_and_the_oldest_first_within_a_priority()
    {
        await DrainQueueAsync();
        var none = await Host.CreateTaskAsync("none, oldest", priority: 0);
        var unset = await Host.CreateTaskAsync("not given");
        var low = await Host.CreateTaskAsync("low", priority: 4);
        var highOld = await Host.CreateTaskAsync("high, older", priority: 2);
        var urgent = await Host.CreateTaskAsync("urgent", priority: 1);
        var highNew = await Host.CreateTaskAsync("high, newer", priority: 2);
        var medium = await Host.CreateTaskAsync("medium", priority: 3);

        var claimed = new List<Guid>();
        while (await Host.ClaimAsync("r", order: "priority") is { } task) claimed.Add(task.Id);

        Assert.Equal([urgent.Id, highOld.Id, highNew.Id, medium.Id, low.Id, none.Id, unset.Id], claimed);
    }

    [Fact]
    public async Task Claiming_without_an_order_still_takes_the_oldest_whatever_its_priority()
    {
        await DrainQueueAsync();
        var old = await Host.CreateTaskAsync("old, low", priority: 4);
        var urgent = await Host.CreateTaskAsync("new, urgent", priority: 1);

        Assert.Equal(old.Id, (await Host.ClaimAsync("r"))!.Id);
        Assert.Equal(urgent.Id, (await Host.ClaimAsync("r", order: "oldest"))!.Id);
    }

    [Fact]
    public async Task Fifty_runners_claiming_by_priority_at_once_each_get_a_different_task_most_urgent_first()
    {
        await DrainQueueAsync();
        // 60 tasks, priorities mixed in creation order so age and priority disagree; 50 runners leave the 10 least urgent.
        var created = new List<(Guid Id, int Rank, int Age)>();
        for (var i = 0; i < 60; i++)
        {
            var priority = (i * 7) % 5; // 0, 2, 4, 1, 3, …
            var task = await Host.CreateTaskAsync($"mixed {i}", priority: priority);
            created.Add((task.Id, TaskPriority.ClaimRank(priority), i));
        }
        var expected = created.OrderBy(t => t.Rank).ThenBy(t => t.Age).Take(50).Select(t => t.Id).ToHashSet();

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => Host.ClaimAsync($"runner-{i}", order: "priority"))));

        var granted = claims.Select(c => Assert.IsType<Optio.Api.Tasks.TaskView>(c)).ToList();
        Assert.Equal(50, granted.Select(t => t.Id).Distinct().Count());
        Assert.Equal(expected.Order(), granted.Select(t => t.Id).Order());
        Assert.Equal(50, granted.Select(t => t.RunnerId).Distinct().Count());

        // Each task was claimed once, and a less urgent task only after every more urgent one (the store's order of claims).
        await using var session = api.Store.QuerySession();
        var claimEvents = await session.Events.QueryAllRawEvents()
            .Where(e => e.EventTypeName == "task_claimed" && expected.Contains(e.StreamId))
            .OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(50, claimEvents.Count);
        Assert.Equal(50, claimEvents.Select(e => e.StreamId).Distinct().Count());
        var rankOf = created.ToDictionary(t => t.Id, t => t.Rank);
        var ranksInClaimOrder = claimEvents.Select(e => rankOf[e.StreamId]).ToList();
        Assert.Equal(ranksInClaimOrder.Order(), ranksInClaimOrder);
    }

    [Fact]
    public async Task An_unknown_order_is_a_400_problem_naming_the_choices_and_claims_nothing()
    {
        await DrainQueueAsync();
        var waiting = await Host.CreateTaskAsync("waiting");

        var body = await Host.PostAsync("/api/tasks/claim", new { runnerId = "r", order = "newest" }, 400);

        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Contains("'order' must be 'oldest'", problem.GetProperty("detail").GetString());
        Assert.Contains("'priority'", problem.GetProperty("detail").GetString());
        Assert.Equal(TaskState.Queued, (await Host.GetTaskAsync(waiting.Id)).State);
    }

    [Fact]
    public async Task A_manual_task_keeps_the_priority_it_was_created_with_and_refuses_one_off_the_scale()
    {
        var task = await Host.CreateTaskAsync("prioritised", priority: 2);
        Assert.Equal(2, task.Priority);
        Assert.Equal(2, (await Host.GetTaskAsync(task.Id)).Priority);

        foreach (var bad in new[] { -1, 5 })
        {
            var body = await Host.PostAsync("/api/tasks", new { title = "t", prompt = "p", priority = bad }, 400);
            Assert.Contains("'priority' must be 0 (none), 1 (urgent)", body);
        }
    }

    [Theory]
    [InlineData("mt_doc_tasksummary_idx_claim_by_priority", "(state, blocked, claim_rank, queued_at, id)")]
    [InlineData("mt_doc_tasksummary_idx_claim_oldest", "(state, blocked, queued_at, id)")]
    public async Task The_unblocked_queue_is_read_through_an_index_in_claim_order(string index, string columns)
    {
        await using var connection = new Npgsql.NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var listed = new Npgsql.NpgsqlCommand("select indexdef from pg_indexes where schemaname = 'optio' and indexname = $1", connection)
            { Parameters = { new() { Value = index } } };
        var definition = (string?)await listed.ExecuteScalarAsync();

        Assert.NotNull(definition);
        Assert.Contains(columns, definition);
        await using var query = api.Store.QuerySession();
        var sql = query.Query<TaskSummary>().Where(x => x.State == TaskState.Queued && x.Blocked == false)
            .OrderBy(x => x.ClaimRank).ThenBy(x => x.QueuedAt).ThenBy(x => x.Id).ToCommand().CommandText;
        Assert.Contains("d.blocked = ", sql);
        Assert.Contains("order by d.claim_rank, d.queued_at, d.id", sql);
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
