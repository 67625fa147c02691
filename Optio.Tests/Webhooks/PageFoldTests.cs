using System.Diagnostics;
using System.Text.Json;
using Marten;
using Optio.Api.Notifications.Deliveries;
using Optio.Domain.Tasks;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Webhooks;

/// <summary>The delivery scheduler's view of a page of task events, folded onto what it stored after the previous page.</summary>
[Collection(TasksCollection.Name)]
public class PageFoldTests(ApiHost api)
{
    [Fact]
    public async Task A_page_of_a_long_stream_is_folded_from_the_last_page_without_reading_an_earlier_event()
    {
        var id = Guid.NewGuid();
        await using (var session = api.Store.LightweightSession())
        {
            session.Events.StartStream<OptioTask>(id, new TaskCreated("long", "p", null), new TaskQueued());
            session.Events.Append(id, 43, [new TaskClaimed("r", DateTimeOffset.UtcNow), .. Enumerable.Range(0, 40).Select(_ => new LeaseRenewed("r", DateTimeOffset.UtcNow))]);
            session.Events.Append(id, 47, new TaskStarted("r"), new PrOpened("https://github.com/acme/x/pull/1"), new PrNeedsAttention("ci"), new TaskCancelled("stop"));
            await session.SaveChangesAsync();
        }
        await using var query = api.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);
        var page = events.Skip(43).ToList(); // several events of the task in one page
        await using (var session = api.Store.LightweightSession())
        {
            session.Store([.. (await PageFold.OfAsync(query, events.Take(43).ToList(), default)).Tasks]);
            await session.SaveChangesAsync();
        }

        using var commands = new DatabaseCommands();
        PageFold fold;
        using (var traced = new Activity("fold a page").Start())
        {
            fold = await PageFold.OfAsync(query, page, default);
            Assert.Contains(commands.In(traced.TraceId), sql => sql.Contains("mt_doc_scheduledtask")); // the one batched load
            Assert.DoesNotContain(commands.In(traced.TraceId), sql => sql.Contains("mt_events"));
        }

        var fromTheStart = await TaskStates.AroundAsync(query, page, default);
        Assert.Equal(fromTheStart.Select(s => (s.Key, s.Value.Previous)), fold.Around.Select(s => (s.Key, s.Value.Previous)));
        Assert.Equal([TaskState.Provisioning, TaskState.Running, TaskState.PrOpened, TaskState.NeedsAttention], fold.Around.Values.Select(s => s.Previous));
        Assert.All(page, e => Assert.Equal(
            JsonSerializer.Serialize(fromTheStart[e.Sequence].After with { Prompt = "" }), JsonSerializer.Serialize(fold.Around[e.Sequence].After)));
        Assert.Equal(47, Assert.Single(fold.Tasks).Version);
    }
}
