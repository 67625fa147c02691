using Alba;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Infrastructure;

/// <summary>Moves tasks through their life with the production decisions, where a test needs a task in some state.</summary>
public static class TaskDriver
{
    public static async Task<Guid> ImportAsync(this IAlbaHost host, IncomingTicket ticket, Guid? providerId = null)
    {
        using var scope = host.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<IMessageBus>()
            .InvokeAsync<TicketsImported>(new ImportTickets([ticket], providerId));
        return result.TaskIds.Single();
    }

    public static async Task DecideAsync(this IAlbaHost host, Guid taskId, Func<OptioTask, Decision> decide)
    {
        var outcome = await host.Services.GetRequiredService<TaskWriter>().DecideAsync(taskId, null, decide, default);
        Assert.IsType<WriteOutcome.Written>(outcome);
    }

    public static async Task MergeAsync(this IAlbaHost host, Guid taskId, string prUrl)
    {
        await host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await host.DecideAsync(taskId, t => t.Start("runner"));
        await host.DecideAsync(taskId, t => t.OpenPr(prUrl));
        await host.DecideAsync(taskId, t => t.Merge(prUrl));
    }

    public static IncomingTicket GitHubTicket(string owner, string repo, int number, string title = "Fix it", string body = "Please") => new(
        new TicketRef("github", $"{owner}/{repo}#{number}", $"{owner}/{repo}#{number}", $"https://github.com/{owner}/{repo}/issues/{number}"),
        title, body, $"https://github.com/{owner}/{repo}", TicketMetadata.None, []);
}
