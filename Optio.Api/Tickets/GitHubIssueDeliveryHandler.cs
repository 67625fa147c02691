using Marten;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using Optio.Api.Integrations;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.GitHub.Inbound;
using Optio.Api.Tasks;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets;

/// <summary>
/// What a GitHub <c>issues</c> delivery means for tasks. GitHub signs no timestamp, so an old signed payload can be
/// sent again under a new delivery id: a payload is a hint that something changed. A watched label added syncs the
/// provider; an issue edited, closed or unlabelled is read from GitHub as it is now and follows the same upstream
/// rules as sync. Every decision is idempotent, so a redelivery, a replay, or a sync seeing the same change appends nothing twice.
/// </summary>
public static class GitHubIssueDeliveryHandler
{
    public static void Configure(HandlerChain chain) => UpstreamRetries.Apply(chain);

    public static Task Handle(GitHubIssueDelivered delivered, IDocumentStore store, TaskWriter writer, IMessageBus bus,
        GitHubIssues github, GitHubAccess access, TimeProvider clock, CancellationToken ct) =>
        GitHubDeliveryWork.HandleOnceAsync(store, delivered.DeliveryId, clock,
            (session, e) => e is IssueEvent issue ? IssueChangedAsync(session, writer, bus, github, access, issue, ct) : Task.CompletedTask, ct);

    static async Task IssueChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, GitHubIssues github, GitHubAccess access,
        IssueEvent delivered, CancellationToken ct)
    {
        var (owner, repo) = (delivered.Owner, delivered.Repo);
        var key = TicketKey.GitHub(owner, repo, delivered.Number);
        var watching = (await session.Query<TicketProvider>().Where(x => x.Source == TicketSource.GitHub && x.Enabled).ToListAsync(ct))
            .Where(p => p.GitHub!.Repos.Any(r => r.Owner == owner && r.Name == repo)).ToList();

        if (delivered.Action == "labeled")
            foreach (var provider in watching.Where(p => p.GitHub!.Labels.Contains(delivered.AddedLabel, StringComparer.OrdinalIgnoreCase)))
                await bus.SendAsync(new SyncProvider(provider.Id, "GitHub issue labelled"));
        if (delivered.Action == "closed") await UnblockDependentsAsync(session, writer, github, access, delivered, ct);
        if (delivered.Action is not ("edited" or "closed" or "labeled" or "unlabeled")) return;
        if (await session.LoadAsync<TicketAlias>(key.Value, ct) is not { } alias) return;

        // The issue as GitHub shows it now, not as the (possibly replayed) payload showed it then.
        var issue = await github.GetIssueAsync(await access.ForRepoAsync(owner, repo, ct), owner, repo, delivered.Number, ct);
        if (issue is null) return;
        var labels = issue.Labels.Select(l => l.Name).ToList();
        switch (delivered.Action)
        {
            case "closed" when issue.State.Value == Octokit.ItemState.Closed:
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn(key, "ticket closed upstream"), ct);
                break;
            case "unlabeled" when watching.Count > 0 && !watching.Any(p => p.GitHub!.Labels.Any(l => labels.Contains(l, StringComparer.OrdinalIgnoreCase))):
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn(key, "label removed upstream"), ct);
                break;
            case "edited" or "labeled" or "unlabeled":
                // What sync would import, priority mapped by the provider that imported the task: a sync seeing it too writes nothing.
                var providerId = (await session.LoadAsync<Optio.Projections.TaskList.TaskSummary>(alias.TaskId, ct))?.ProviderId;
                var config = watching.FirstOrDefault(p => p.Id == providerId)?.GitHub;
                var current = IssueTicket.From(owner, repo, issue);
                if (config is not null) current = config.WithPriority(current);
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketEdit(key, current.Title, current.Prompt, config is null ? null : current.Metadata), ct);
                break;
        }
    }

    /// <summary>A closed issue no longer blocks the tasks waiting on it (checked against GitHub: the payload may be a replay).</summary>
    static async Task UnblockDependentsAsync(IDocumentSession session, TaskWriter writer, GitHubIssues github, GitHubAccess access,
        IssueEvent delivered, CancellationToken ct)
    {
        var key = TicketKey.GitHub(delivered.Owner, delivered.Repo, delivered.Number);
        var blocked = (await session.Query<Optio.Projections.TaskList.TaskSummary>().Where(x => x.Blocked).Select(x => new BlockedRow(x.Id, x.BlockedBy)).ToListAsync(ct))
            .Where(t => t.BlockedBy.Any(b => b.Key == key.Value)).ToList();
        if (blocked.Count == 0) return;
        var issue = await github.GetIssueAsync(await access.ForRepoAsync(delivered.Owner, delivered.Repo, ct), delivered.Owner, delivered.Repo, delivered.Number, ct);
        if (issue?.State.Value != Octokit.ItemState.Closed) return;
        foreach (var task in blocked)
            await writer.DecideAsync(task.Id, null, t => t.FollowBlockerFinished(key), ct);
    }

    sealed record BlockedRow(Guid Id, IReadOnlyList<TicketBlocker> BlockedBy);
}
