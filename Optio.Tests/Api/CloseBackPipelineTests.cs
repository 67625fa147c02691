using Alba;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Api;

[Collection(TasksCollection.Name)]
public class CloseBackPipelineTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Fact]
    public async Task A_write_back_that_keeps_failing_is_retried_then_recorded_on_the_task()
    {
        // A Linear ticket no Linear provider is configured for: every attempt fails.
        var issue = Guid.NewGuid();
        var ticket = new Optio.Domain.Tickets.IncomingTicket(
            new Optio.Domain.Tickets.TicketRef("linear", issue.ToString(), "ENG-7", "https://linear.app/acme/issue/ENG-7"),
            "Linear only", "body", null, Optio.Domain.Tickets.TicketMetadata.None, []);
        var taskId = await Host.ImportAsync(ticket);

        await Host.MergeAsync(taskId, "https://github.com/acme/webapp/pull/9");

        var task = await Eventually.Until(() => Host.GetTaskAsync(taskId), t => t.TicketWrittenBack is not null, what: "the write-back outcome");
        Assert.Equal(TaskState.Completed, task.State);
        Assert.False(task.TicketWrittenBack);
        Assert.Contains("closing ENG-7 failed after 3 attempts", task.Reason);
    }
}
