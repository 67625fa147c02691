using Optio.Api.Integrations;
using Marten;
using Optio.Api.Core.Audit;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using Optio.Api.Integrations.GitHub.Inbound;
using Optio.Api.Tasks;
using Optio.Domain.PullRequests;
using Optio.Projections.TaskList;

namespace Optio.Api.PullRequests;

/// <summary>
/// What a GitHub pull request, review or CI delivery means for tasks: a pull request is linked to its task (branch
/// <c>optio/&lt;taskId&gt;</c> or a closing keyword) while that task runs without one; a merge is applied (a merge is
/// final, so even a replayed payload tells the truth about it); any other change, review or CI result makes Optio read
/// the PR again. Every decision is idempotent, so a redelivery or the poller seeing the same change appends nothing twice.
/// </summary>
public static class GitHubPullRequestDeliveryHandler
{
    public static void Configure(HandlerChain chain) => UpstreamRetries.Apply(chain);

    public static Task Handle(GitHubPullRequestDelivered delivered, IDocumentStore store, TaskWriter writer, IMessageBus bus,
        TimeProvider clock, CancellationToken ct) =>
        GitHubDeliveryWork.HandleOnceAsync(store, delivered.DeliveryId, clock, (session, e) => e switch
        {
            PullRequestEvent pr => PullRequestChangedAsync(session, writer, bus, pr, ct),
            PullRequestActivityEvent activity => PollTasksOfAsync(session, bus, activity.PrUrls, ct),
            _ => Task.CompletedTask,
        }, ct);

    static async Task PullRequestChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, PullRequestEvent pr, CancellationToken ct)
    {
        var seen = new SeenPullRequest(pr.PrUrl, pr.Owner, pr.Repo, pr.HeadRef, pr.Body);
        if (await PullRequestOwner.TaskOfAsync(session, seen, ct) is not { } taskId) return;

        await writer.DecideAsync(taskId, null, t => t.LinkFoundPr(pr.PrUrl), ct);

        // A merge is final, so even a replayed payload tells the truth about it; a close can be undone (reopened).
        if (pr.Merged)
            await writer.DecideAsync(taskId, null, t => t.Observe(new PrObservation(pr.PrUrl, Open: false, Merged: true)), ct);
        else if (pr.Action is "closed" or "reopened" or "synchronize" || !pr.Open)
            await bus.SendAsync(new PollPullRequest(taskId, Actors.Current?.Name));
    }

    static async Task PollTasksOfAsync(IDocumentSession session, IMessageBus bus, IReadOnlyList<string> prUrls, CancellationToken ct)
    {
        if (prUrls.Count == 0) return;
        var tasks = await session.Query<TaskSummary>().Where(x => x.PrUrl.IsOneOf(prUrls.ToArray())).Select(x => x.Id).ToListAsync(ct);
        foreach (var id in tasks) await bus.SendAsync(new PollPullRequest(id, Actors.Current?.Name));
    }
}
