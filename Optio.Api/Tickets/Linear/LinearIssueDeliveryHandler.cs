using Marten;
using Wolverine.Runtime.Handlers;
using Optio.Api.Integrations;
using Optio.Api.Integrations.Linear;
using Optio.Api.Integrations.Linear.Inbound;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Linear;

/// <summary>
/// What a Linear <c>Issue</c> delivery means for tasks, decided exactly as a sync would: the issue is read from Linear as
/// it is now (deliveries can arrive out of order), and a provider watching its team that would import it imports it
/// (a new task, or a queued task following the edit, through <see cref="TicketImporter"/>); one that no provider wants
/// any more (label removed, completed or canceled, deleted) cancels its queued task with the sync's own reason. Every
/// decision is idempotent, so a webhook and a poll seeing the same change write one event.
/// </summary>
public static class LinearIssueDeliveryHandler
{
    public static void Configure(HandlerChain chain) => UpstreamRetries.Apply(chain);

    public static Task Handle(LinearIssueDelivered delivered, IDocumentStore store, LinearAccess access, TicketImporter importer,
        TaskWriter writer, TimeProvider clock, CancellationToken ct) =>
        LinearDeliveryWork.HandleOnceAsync(store, delivered.DeliveryId, clock,
            (session, issue) => IssueChangedAsync(session, access, importer, writer, issue, ct), ct);

    static async Task IssueChangedAsync(IDocumentSession session, LinearAccess access, TicketImporter importer, TaskWriter writer,
        LinearIssueEvent delivered, CancellationToken ct)
    {
        var watching = (await session.Query<TicketProvider>().Where(x => x.Source == TicketSource.Linear && x.Enabled).ToListAsync(ct))
            .Where(p => string.IsNullOrWhiteSpace(p.Linear!.TeamId) || p.Linear.TeamId.Trim() == delivered.TeamId)
            .OrderBy(p => p.CreatedAt)
            .ToList();
        if (watching.Count == 0) return;

        var key = TicketKey.Linear(delivered.IssueId);
        if (delivered.Action != "remove")
        {
            // One provider's Linear failing does not keep another from importing; but "wanted by none" is only
            // concluded when every provider answered, else the delivery is retried.
            LinearApiException? unanswered = null;
            foreach (var provider in watching)
            {
                try
                {
                    var settings = await access.ForProviderAsync(provider, ct);
                    var issue = await access.Client().FetchIssueAsync(settings, delivered.IssueId, ct);
                    if (issue is null) break;
                    if (!issue.IsWantedBy(settings.Label, settings.TeamId, settings.ProjectId)) continue;
                    await importer.ImportAsync([issue.Ticket], provider.Id, ct);
                    return;
                }
                catch (LinearApiException e)
                {
                    unanswered ??= e;
                }
            }
            if (unanswered is not null) throw unanswered;
        }
        // Wanted by no provider any more: what a sync no longer listing it would do.
        if (await session.LoadAsync<Optio.Api.Tasks.TicketAlias>(key.Value, ct) is { } alias)
            await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn(key, ProviderSync.WithdrawnReason), ct);
    }
}
