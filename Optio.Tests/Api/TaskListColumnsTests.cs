using System.Text.Json;
using Marten;
using Npgsql;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Tests.Api;

/// <summary>The task list row is a read model of its own: flat fields, and real indexed columns for what is looked up.</summary>
[Collection(TasksCollection.Name)]
public class TaskListColumnsTests(ApiHost api)
{
    [Fact]
    public void Every_field_of_the_task_is_a_field_of_its_row_and_comes_back_unchanged()
    {
        var ticket = new TicketRef("github", "acme/cols#1", "acme/cols#1", "https://github.com/acme/cols/issues/1");
        var task = new OptioTask
        {
            Id = Guid.NewGuid(), Title = "t", Prompt = "p", RepoUrl = "https://github.com/acme/cols", Ticket = ticket,
            LinkedTickets = [new TicketRef("linear", Guid.NewGuid().ToString(), "ENG-1", null)],
            Metadata = new TicketMetadata(["bug"], "ann", 2, "team", "proj", "claude", "v1"), Priority = 2, ProviderId = Guid.NewGuid(),
            State = TaskState.NeedsAttention, RunnerId = "r", LeaseExpiresAt = DateTimeOffset.UnixEpoch, PrUrl = "https://github.com/acme/cols/pull/2",
            Reason = "ci", TicketWrittenBack = false, ClosedTickets = ["linear:x"],
        };
        var rowFields = typeof(TaskSummary).GetProperties().Select(p => p.Name).ToHashSet();
        Assert.All(typeof(OptioTask).GetProperties().Where(p => p.CanWrite), p => Assert.Contains(p.Name, rowFields));

        var row = TaskSummary.Of(task);
        Assert.Equal(JsonSerializer.Serialize(task), JsonSerializer.Serialize(row.ToTask()));
        Assert.Equal(("github:acme/cols#1", 2, "github"), (row.TicketKey, row.Priority, row.Source));
    }

    [Fact]
    public async Task Pr_url_ticket_key_and_priority_are_indexed_columns_and_lookups_read_them()
    {
        var ticket = new TicketRef("github", $"acme/cols-{Guid.NewGuid():N}#7", "acme/cols#7", null);
        var id = ticket.Key.TaskId;
        var prUrl = $"https://github.com/acme/cols/pull/{Random.Shared.Next(1, 1_000_000)}";
        await using (var session = api.Store.LightweightSession())
        {
            session.Events.StartStream<OptioTask>(id,
                new TicketImported(ticket, "t", "p", "https://github.com/acme/cols", new TicketMetadata(["optio"], Priority: 1)), new TaskQueued());
            await session.SaveChangesAsync();
            session.Events.Append(id, 5, new TaskClaimed("r", DateTimeOffset.UtcNow.AddHours(1)), new TaskStarted("r"), new PrOpened(prUrl));
            await session.SaveChangesAsync();
        }

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using (var columns = new NpgsqlCommand("select pr_url, ticket_key, priority from optio.mt_doc_tasksummary where id = $1", connection)
               { Parameters = { new() { Value = id } } })
        await using (var reader = await columns.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal((prUrl, ticket.Key.Value, 1), (reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        var indexes = new List<string>();
        await using (var listed = new NpgsqlCommand("select indexdef from pg_indexes where schemaname = 'optio' and tablename = 'mt_doc_tasksummary'", connection))
        await using (var reader = await listed.ExecuteReaderAsync())
            while (await reader.ReadAsync()) indexes.Add(reader.GetString(0));
        Assert.Contains(indexes, i => i.Contains("(pr_url)"));
        Assert.Contains(indexes, i => i.Contains("(ticket_key)"));

        await using var query = api.Store.QuerySession();
        var byPr = query.Query<TaskSummary>().Where(x => x.PrUrl == prUrl);
        var byTicket = query.Query<TaskSummary>().Where(x => x.TicketKey == ticket.Key.Value);
        Assert.Contains("d.pr_url = ", byPr.ToCommand().CommandText);
        Assert.Contains("d.ticket_key = ", byTicket.ToCommand().CommandText);
        Assert.Equal(id, Assert.Single(await byPr.ToListAsync()).Id);
        Assert.Equal(id, Assert.Single(await byTicket.ToListAsync()).Id);
    }
}
