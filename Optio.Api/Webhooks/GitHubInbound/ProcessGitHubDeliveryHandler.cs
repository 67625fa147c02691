using Marten;
using Optio.Api.PullRequests;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.PullRequests;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;
using Optio.Projections.TicketIndex;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Optio.Api.Webhooks.GitHubInbound;

/// <summary>
/// What a GitHub delivery means. GitHub signs no timestamp, so an old signed payload can be sent again under a
/// new delivery id: a payload is a hint that something changed, and only what cannot be undone is taken from it
/// (a merge). A watched label added syncs the provider; an issue edited, closed or unlabelled is read from
/// GitHub as it is now and follows the same upstream rules as sync; a pull request is linked to its task
/// (branch <c>optio/&lt;taskId&gt;</c> or a closing keyword) while that task runs without one; a merge is applied,
/// any other change, review or CI result makes Optio read the PR again. Every decision is idempotent, so a
/// redelivery, a replay, or the poller seeing the same change, appends nothing twice. A failed attempt is
/// recorded on the delivery and retried.
/// </summary>
public static class ProcessGitHubDeliveryHandler
{
    public static void Configure(HandlerChain chain) =>
        chain.OnAnyException().ScheduleRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));

    public static async Task Handle(ProcessGitHubDelivery command, IDocumentStore store, TaskWriter writer, IMessageBus bus,
        GitHubIssues github, GitHubAccess access, TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<GitHubDelivery>(command.DeliveryId, ct) is not { ProcessedAt: null } delivery) return;
        try
        {
            switch (GitHubPayload.Read(delivery.Event, delivery.Payload))
            {
                case IssueEvent issue:
                    await IssueChangedAsync(session, writer, bus, github, access, issue, ct);
                    break;
                case PullRequestEvent pr:
                    await PullRequestChangedAsync(session, writer, bus, pr, ct);
                    break;
                case PullRequestActivityEvent activity:
                    await PollTasksOfAsync(session, bus, activity.PrUrls, ct);
                    break;
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await RecordFailureAsync(store, delivery, e, clock);
            throw;
        }
        delivery.ProcessedAt = clock.GetUtcNow();
        delivery.Error = null;
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }

    static async Task RecordFailureAsync(IDocumentStore store, GitHubDelivery delivery, Exception e, TimeProvider clock)
    {
        await using var session = store.LightweightSession();
        delivery.Error = e.Message;
        delivery.Attempts++;
        delivery.FailedAt = clock.GetUtcNow();
        session.Store(delivery);
        await session.SaveChangesAsync(CancellationToken.None);
    }

    static async Task IssueChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, GitHubIssues github, GitHubAccess access,
        IssueEvent delivered, CancellationToken ct)
    {
        var (owner, repo) = (delivered.Owner, delivered.Repo);
        var key = TicketKey.GitHub(owner, repo, delivered.Number);
        var watching = (await session.Query<TicketProvider>().Where(x => x.Source == "github" && x.Enabled).ToListAsync(ct))
            .Where(p => p.GitHub!.Repos.Any(r => r.Owner == owner && r.Name == repo)).ToList();

        if (delivered.Action == "labeled")
        {
            foreach (var provider in watching.Where(p => p.GitHub!.Labels.Contains(delivered.AddedLabel, StringComparer.OrdinalIgnoreCase)))
                await bus.SendAsync(new SyncProvider(provider.Id, "GitHub issue labelled"));
            return;
        }
        if (delivered.Action is not ("edited" or "closed" or "unlabeled")) return;
        if (await session.LoadAsync<TicketAlias>(key.Value, ct) is not { } alias) return;

        // The issue as GitHub shows it now, not as the (possibly replayed) payload showed it then.
        var issue = await github.GetIssueAsync(await access.ForRepoAsync(owner, repo, ct), owner, repo, delivered.Number, ct);
        if (issue is null) return;
        var labels = issue.Labels.Select(l => l.Name).ToList();
        switch (delivered.Action)
        {
            case "edited":
                var current = IssueTicket.From(owner, repo, issue);
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketEdit(key, current.Title, current.Prompt), ct);
                break;
            case "closed" when issue.State.Value == Octokit.ItemState.Closed:
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn(key, "ticket closed upstream"), ct);
                break;
            case "unlabeled" when watching.Count > 0 && !watching.Any(p => p.GitHub!.Labels.Any(l => labels.Contains(l, StringComparer.OrdinalIgnoreCase))):
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn(key, "label removed upstream"), ct);
                break;
        }
    }

    static async Task PullRequestChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, PullRequestEvent pr, CancellationToken ct)
    {
        var seen = new SeenPullRequest(pr.PrUrl, pr.Owner, pr.Repo, pr.HeadRef, pr.Body);
        if (await PullRequestOwner.TaskOfAsync(session, seen, ct) is not { } taskId) return;

        await writer.DecideAsync(taskId, null, t => t.LinkFoundPr(pr.PrUrl), ct);

        // A merge is final, so even a replayed payload tells the truth about it; a close can be undone (reopened).
        if (pr.Merged)
            await writer.DecideAsync(taskId, null, t => t.Observe(new PrObservation(pr.PrUrl, Open: false, Merged: true)), ct);
        else if (pr.Action is "closed" or "reopened" or "synchronize" || !pr.Open)
            await bus.SendAsync(new PollPullRequest(taskId));
    }

    static async Task PollTasksOfAsync(IDocumentSession session, IMessageBus bus, IReadOnlyList<string> prUrls, CancellationToken ct)
    {
        if (prUrls.Count == 0) return;
        var tasks = await session.Query<TaskSummary>().Where(x => x.Task.PrUrl.IsOneOf(prUrls.ToArray())).Select(x => x.Id).ToListAsync(ct);
        foreach (var id in tasks) await bus.SendAsync(new PollPullRequest(id));
    }
}
