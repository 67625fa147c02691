using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Optio.Api.Repos;
using Optio.Api.Webhooks.Subscriptions;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Domain.Webhooks;

namespace Optio.Api.Webhooks.Outbound;

/// <summary>
/// A Marten subscription over the task events: each event that maps to a webhook event type becomes
/// one delivery stream per matching, enabled subscription (and one Slack delivery per repo that
/// wants it). The deliveries are written with the subscription's progress in one transaction, so a
/// crash between "event stored" and "delivery queued" loses nothing and duplicates nothing.
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
        IncludeType<TaskCreated>();
        IncludeType<TicketImported>();
        IncludeType<TaskQueued>();
        IncludeType<TaskRequeued>();
        IncludeType<TaskStarted>();
        IncludeType<PrOpened>();
        IncludeType<PrMerged>();
        IncludeType<TaskFailed>();
        IncludeType<PrClosedUnmerged>();
        IncludeType<TaskCancelled>();
        IncludeType<PrNeedsAttention>();
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        var announced = page.Events.Where(e => WebhookEvents.For(e.Data) is not null).ToList();
        var signal = _services.GetRequiredService<DeliverySignal>();
        if (announced.Count == 0) return signal;

        var store = _services.GetRequiredService<IDocumentStore>();
        await using var query = store.QuerySession();
        var subscriptions = await query.Query<WebhookSubscription>().Where(x => x.Enabled).ToListAsync(ct);
        var slackRepos = await query.Query<ConnectedRepo>().Where(x => x.SlackEnabled && x.SlackWebhookSecret != null).ToListAsync(ct);
        if (subscriptions.Count == 0 && slackRepos.Count == 0) return signal;

        var states = await TaskStatesAsync(query, announced, ct);
        foreach (var e in announced)
        {
            var type = WebhookEvents.For(e.Data)!;
            var (before, after) = states[e.Sequence];
            foreach (var subscription in subscriptions.Where(s => WebhookEvents.Matches(s.Events, type)))
            {
                var id = NameBasedGuid.Create(DeliveryNamespace, $"{subscription.Id:N}:{e.Id:N}");
                var body = DeliveryPayload.For(id, type, e.Timestamp, after, before?.State, e.Version).ToJson();
                operations.Events.StartStream(id, new DeliveryScheduled(subscription.Id, type, e.StreamId, e.Sequence, body, e.Timestamp));
            }
            if (after.RepoUrl is { } repoUrl && SlackMessage.Announces(type))
            {
                foreach (var repo in slackRepos.Where(r => r.Url == repoUrl))
                {
                    var id = NameBasedGuid.Create(DeliveryNamespace, $"slack:{repo.Id:N}:{e.Id:N}");
                    var body = SlackMessage.For(type, after);
                    operations.Events.StartStream(id, new DeliveryScheduled(repo.Id, type, e.StreamId, e.Sequence, body, e.Timestamp, "slack"));
                }
            }
        }
        return signal;
    }

    /// <summary>The task before and after each announced event, folded from its stream in one query per page.</summary>
    static async Task<Dictionary<long, (OptioTask? Before, OptioTask After)>> TaskStatesAsync(
        IQuerySession query, List<IEvent> announced, CancellationToken ct)
    {
        var streams = announced.Select(e => e.StreamId).Distinct().ToArray();
        var upTo = announced.Max(e => e.Sequence);
        var history = await query.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(streams) && e.Sequence <= upTo)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);

        var wanted = announced.Select(e => e.Sequence).ToHashSet();
        var current = new Dictionary<Guid, OptioTask>();
        var states = new Dictionary<long, (OptioTask?, OptioTask)>();
        foreach (var e in history)
        {
            current.TryGetValue(e.StreamId, out var before);
            var after = before is null ? OptioTask.Begin(e.StreamId, e.Data) : before.When(e.Data);
            current[e.StreamId] = after;
            if (wanted.Contains(e.Sequence)) states[e.Sequence] = (before, after);
        }
        return states;
    }
}
