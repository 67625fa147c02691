using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Optio.Api.Core.Audit;
using Optio.Api.Notifications.Slack;
using Optio.Api.Notifications.Subscriptions;
using Optio.Api.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>
/// A Marten subscription over the task events: each event that maps to a webhook event type becomes
/// one delivery stream per matching, enabled subscription (and one Slack delivery per repo that
/// wants it). A delivery's id derives from (subscription, event), and a page already scheduled is
/// skipped, so a crash between "event stored" and "delivery queued" loses nothing (the page is
/// processed again after the restart) and duplicates nothing. It sees every task event, not only the announced ones,
/// so it can keep each task as of its last page (<see cref="ScheduledTask"/>) and never fold a stream from its start.
/// </summary>
public sealed class DeliveryScheduler : SubscriptionBase
{
    readonly IServiceProvider _services;

    // Fixed forever: a delivery's id is derived from (subscription, event), so it never changes.
    static readonly Guid DeliveryNamespace = new("0d1f3a52-8b7c-4e21-a3f9-5c6d7e8f9012");

    public DeliveryScheduler(IServiceProvider services)
    {
        _services = services;
        Name = "webhook-deliveries";
        foreach (var type in TaskEvents.All) IncludeType(type);
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        // Events appended through the daemon's `operations` are not stored (only documents are): the delivery
        // streams are written in a session of their own, before the daemon records the page as done.
        var signal = _services.GetRequiredService<DeliverySignal>();
        using var actor = Actors.ActAs(Actor.Deliveries("scheduler"));
        var store = _services.GetRequiredService<IDocumentStore>();
        PageFold fold;
        IReadOnlyList<WebhookSubscription> subscriptions;
        IReadOnlyList<ConnectedRepo> slackRepos;
        await using (var query = store.QuerySession())
        {
            subscriptions = await query.Query<WebhookSubscription>().Where(x => x.Enabled).ToListAsync(ct);
            slackRepos = await query.Query<ConnectedRepo>().Where(x => x.SlackEnabled && x.SlackWebhookSecret != null).ToListAsync(ct);
            // Nobody to tell: the page is done without folding it. The tasks it touched are remembered at an older version,
            // so the first page that does find a receiver folds them from their start, once.
            if (subscriptions.Count == 0 && slackRepos.Count == 0) return signal;
            fold = await PageFold.OfAsync(query, page.Events, ct);
        }
        // Committed with the page's progress: a page processed again starts from the same tasks.
        foreach (var task in fold.Tasks) operations.Store(task);
        var planned = Plan(page, fold, subscriptions, slackRepos);
        if (planned.Count == 0) return signal;

        for (var round = 1; ; round++)
        {
            await using var session = store.LightweightSession();
            var ids = planned.Keys.ToArray();
            var existing = (await session.Query<DeliveryHistory>().Where(x => x.Id.IsOneOf(ids)).Select(x => x.Id).ToListAsync(ct)).ToHashSet();
            foreach (var (id, scheduled) in planned.Where(p => !existing.Contains(p.Key))) session.Events.StartStream(id, scheduled);
            try
            {
                await session.SaveChangesAsync(ct);
                break;
            }
            catch (Exception e) when (round < 3 && e is Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.Events.ExistingStreamIdCollisionException)
            {
                // Scheduled concurrently by a node that processed the same page: take the survivors again.
            }
        }
        signal.Wake();
        return signal;
    }

    /// <summary>The deliveries a page of task events makes, by id.</summary>
    Dictionary<Guid, DeliveryScheduled> Plan(EventRange page, PageFold fold, IReadOnlyList<WebhookSubscription> subscriptions,
        IReadOnlyList<ConnectedRepo> slackRepos)
    {
        var planned = new Dictionary<Guid, DeliveryScheduled>();
        var announced = page.Events.Where(e => WebhookEvents.For(e.Data) is not null).ToList();
        if (announced.Count == 0) return planned;

        // Due now by the clock the sender reads (the event's timestamp is the database's clock, not necessarily ours).
        var due = _services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var e in announced)
        {
            var type = WebhookEvents.For(e.Data)!;
            var (previous, after) = fold.Around[e.Sequence];
            foreach (var subscription in subscriptions.Where(s => WebhookEvents.Matches(s.Events, type)))
            {
                var id = NameBasedGuid.Create(DeliveryNamespace, $"{subscription.Id:N}:{e.Id:N}");
                var body = DeliveryPayload.For(id, type, e.Timestamp, after, previous, e.Version).ToJson();
                planned[id] = new DeliveryScheduled(subscription.Id, type, e.StreamId, e.Sequence, body, due);
            }
            if (after.RepoUrl is { } repoUrl && SlackMessage.Announces(type))
            {
                foreach (var repo in slackRepos.Where(r => r.Url == repoUrl))
                {
                    var id = NameBasedGuid.Create(DeliveryNamespace, $"slack:{repo.Id:N}:{e.Id:N}");
                    planned[id] = new DeliveryScheduled(repo.Id, type, e.StreamId, e.Sequence, SlackMessage.For(type, after), due, "slack");
                }
            }
        }
        return planned;
    }
}
