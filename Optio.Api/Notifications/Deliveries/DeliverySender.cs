using System.Collections.Concurrent;
using JasperFx;
using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Marten.Patching;
using Optio.Api.Core;
using Optio.Api.Core.Audit;
using Optio.Api.Core.Database;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Notifications.Subscriptions;
using Optio.Api.Repos;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>
/// Sends due deliveries. Only the oldest pending delivery of each (subscription, task) chain goes
/// out, so a subscriber sees a task's events in order. A delivery is attempted by one node at a
/// time (a PostgreSQL advisory lock per delivery), every attempt is appended to the delivery's
/// stream. What each answer means (a retry, giving up, the subscription's health) is decided by
/// <see cref="Delivery"/> and <see cref="SubscriptionHealth"/>; this class sends and stores.
/// </summary>
public sealed class DeliverySender(
    IDocumentStore store,
    NpgsqlDataSource database,
    DeliveryAttempt attempt,
    SecretStore secrets,
    DeliverySignal signal,
    TimeProvider clock,
    IOptions<WebhooksOptions> options,
    ILogger<DeliverySender> logger) : BackgroundService
{
    const int BatchSize = 200;
    readonly int _parallelism = options.Value.Parallelism;
    readonly TimeSpan _poll = options.Value.PollInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await SendDueAsync(stoppingToken) > 0) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Webhook delivery pass failed; trying again shortly");
            }
            await signal.WaitAsync(_poll, stoppingToken);
        }
    }

    /// <summary>One pass: attempts every due chain head; returns how many attempts were made.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        using var actor = Actors.ActAs(Actor.Deliveries("sender"));
        var now = clock.GetUtcNow();
        // PostgreSQL keeps microseconds and rounds the stored time to them: compare with `now` rounded up, or a
        // delivery due at this very tick could look a microsecond early (the check after the lock is exact).
        var dueBy = new DateTimeOffset(now.Ticks + (TimeSpan.TicksPerMicrosecond - now.Ticks % TimeSpan.TicksPerMicrosecond) % TimeSpan.TicksPerMicrosecond, now.Offset);
        IReadOnlyList<Guid> heads;
        await using (var query = store.QuerySession())
        {
            // Only what picks the chain heads: the documents (bodies, attempts) are read once, after the claim.
            var due = await query.Query<DeliveryHistory>()
                .Where(x => x.Status == DeliveryStatus.Pending && x.NextAttemptAt <= dueBy)
                .OrderBy(x => x.NextAttemptAt).Take(BatchSize)
                .Select(x => new ChainMember(x.Id, x.ChainKey, x.EventSequence)).ToListAsync(ct);
            if (due.Count == 0) return 0;
            heads = await ChainHeadsAsync(query, due, ct);
        }
        return await AttemptBatchAsync(heads, ct);
    }

    /// <summary>Of the due deliveries, those with no older pending delivery in their chain.</summary>
    static async Task<IReadOnlyList<Guid>> ChainHeadsAsync(IQuerySession query, IReadOnlyList<ChainMember> due, CancellationToken ct)
    {
        var chains = due.Select(d => d.ChainKey).Distinct().ToArray();
        var pending = await query.Query<DeliveryHistory>()
            .Where(x => x.Status == DeliveryStatus.Pending && x.ChainKey.IsOneOf(chains))
            .Select(x => new ChainMember(x.Id, x.ChainKey, x.EventSequence))
            .ToListAsync(ct);
        var heads = pending.GroupBy(p => p.ChainKey).Select(g => g.MinBy(p => p.EventSequence)!.Id).ToHashSet();
        return due.Where(d => heads.Contains(d.Id)).Select(d => d.Id).ToList();
    }

    sealed record ChainMember(Guid Id, string ChainKey, long EventSequence);

    /// <summary>
    /// Claims the heads in one statement (an advisory lock each, held by one connection for the pass), re-reads
    /// them and their subscriptions, sends them in parallel and records every outcome in one save: a handful of
    /// round trips per pass, not several per delivery.
    /// </summary>
    async Task<int> AttemptBatchAsync(IReadOnlyList<Guid> heads, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        try
        {
            var claimed = await ClaimAsync(connection, heads.ToArray(), ct);
            if (claimed.Count == 0) return 0;
            await using var session = store.LightweightSession();
            var now = clock.GetUtcNow();
            var deliveries = (await session.LoadManyAsync<DeliveryHistory>(ct, claimed.ToArray()))
                .Where(d => d is not null && d.ToDelivery().IsDue(now)).ToList();
            // Read after the claim, not before: a subscription disabled meanwhile (a 410 seen by another pass) is seen as such.
            var owners = deliveries.Select(d => d.SubscriptionId).Distinct().ToArray();
            var subscriptions = (await session.LoadManyAsync<WebhookSubscription>(ct, owners)).ToDictionary(s => s.Id);
            var repos = (await session.LoadManyAsync<ConnectedRepo>(ct, owners)).ToDictionary(r => r.Id);

            var outcomes = new (DeliveryHistory Delivery, object Event, AttemptResult? Result)[deliveries.Count];
            var gone = new ConcurrentDictionary<Guid, bool>(); // subscriptions that answered 410 during this pass
            await Parallel.ForEachAsync(Enumerable.Range(0, deliveries.Count), new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = ct },
                async (i, token) =>
                {
                    var d = deliveries[i];
                    var subscription = d.Channel == "slack" ? null : subscriptions.GetValueOrDefault(d.SubscriptionId);
                    if (subscription is not null && gone.ContainsKey(subscription.Id))
                    {
                        outcomes[i] = (d, d.ToDelivery().Abandon(Delivery.SubscriptionDisabled(SubscriptionHealth.GoneReason), clock.GetUtcNow()), null);
                        return;
                    }
                    var (e, result) = await SendAsync(d, subscription, repos.GetValueOrDefault(d.SubscriptionId), token);
                    if (subscription is not null && result is { Gone: true }) gone.TryAdd(subscription.Id, true);
                    outcomes[i] = (d, e, result);
                });

            // Attempts and the subscriptions' health in one save; we hold every lock, so no other node records these.
            foreach (var (delivery, e, result) in outcomes)
            {
                session.Events.Append(delivery.Id, delivery.Version + 1, e);
                if (result is null || subscriptions.GetValueOrDefault(delivery.SubscriptionId) is not { } subscription) continue;
                var health = RecordHealth(session, subscription, result, now);
                if (health.DisableReason is { } disabled)
                    logger.LogWarning("Disabling webhook subscription {Subscription}: {Reason}", subscription.Id, disabled);
                subscription.FailingSince = health.FailingSince;
                OptioMetrics.DeliveryAttempts.Add(1, new KeyValuePair<string, object?>("outcome", result.Succeeded ? "delivered" : "failed"));
            }
            await session.SaveChangesAsync(ct);
            return outcomes.Length;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The deliveries whose lock this connection took; those another node holds are left to it.</summary>
    static async Task<IReadOnlyList<Guid>> ClaimAsync(NpgsqlConnection connection, Guid[] ids, CancellationToken ct)
    {
        await using var claim = new NpgsqlCommand("select id from unnest($1::uuid[], $2::bigint[]) as c(id, k) where pg_try_advisory_lock(k)", connection)
        {
            Parameters = { new() { Value = ids }, new() { Value = ids.Select(LockKey).ToArray() } },
        };
        var claimed = new List<Guid>();
        await using var reader = await claim.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) claimed.Add(reader.GetGuid(0));
        return claimed;
    }

    const int DeliveryLockSpace = 0x0971_0003;

    static long LockKey(Guid deliveryId) => AdvisoryLock.Key(DeliveryLockSpace, deliveryId);

    /// <summary>
    /// Takes the delivery's lock, waiting for it, and holds it until disposed: a request that sends a delivery
    /// itself (a test ping) keeps the background passes from sending it too.
    /// </summary>
    public async Task<IAsyncDisposable> HoldAsync(Guid deliveryId, CancellationToken ct)
    {
        var connection = await database.OpenConnectionAsync(ct);
        try
        {
            await using var take = new NpgsqlCommand("select pg_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey(deliveryId) } } };
            await take.ExecuteNonQueryAsync(ct);
            return new Held(connection, LockKey(deliveryId));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (connection)
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>Makes one attempt at <paramref name="delivery"/> and records it: used by test pings.</summary>
    public async Task<DeliveryAttempted?> AttemptAsync(IDocumentSession session, DeliveryHistory delivery, WebhookSubscription? subscription,
        ConnectedRepo? repo, CancellationToken ct)
    {
        var (e, result) = await SendAsync(delivery, subscription, repo, ct);
        session.Events.Append(delivery.Id, delivery.Version + 1, e);
        // The subscription's health changes in the same transaction as the attempt it follows from.
        var health = subscription is null || result is null ? null : RecordHealth(session, subscription, result, clock.GetUtcNow());
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            return null; // another node recorded this attempt's outcome first
        }
        if (health?.DisableReason is { } disabled) logger.LogWarning("Disabled webhook subscription {Subscription}: {Reason}", subscription!.Id, disabled);
        if (health is not null) subscription!.FailingSince = health.FailingSince;
        return e as DeliveryAttempted;
    }

    /// <summary>Sends the delivery (or finds it cannot be sent) and says what to record: the attempt, or why it was abandoned.</summary>
    async Task<(object Event, AttemptResult? Result)> SendAsync(DeliveryHistory delivery, WebhookSubscription? subscription, ConnectedRepo? repo,
        CancellationToken ct)
    {
        var model = delivery.ToDelivery();
        AttemptResult result;
        try
        {
            if (delivery.Channel == "slack")
            {
                var url = repo is { SlackEnabled: true, SlackWebhookSecret: { } name } ? await secrets.GetAsync(name, ct) : null;
                if (url is null) return (model.Abandon(Delivery.SlackOff, clock.GetUtcNow()), null);
                result = await attempt.SendSlackAsync(url, delivery.Body, ct);
            }
            else
            {
                if (Delivery.WhyNotSend(subscription is not null, subscription?.Enabled == true, subscription?.DisabledReason) is { } why)
                    return (model.Abandon(why, clock.GetUtcNow()), null);
                result = await attempt.SendWebhookAsync(delivery, subscription!, ct);
            }
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // This delivery's own fault is its failed attempt, retried like any other. Thrown, it would lose the whole pass:
            // the deliveries already sent in it would go unrecorded and out again.
            logger.LogError(e, "Webhook delivery {Delivery} could not be attempted", delivery.Id);
            result = AttemptResult.NotSent($"could not be attempted: {e.Message}");
        }

        return (model.Attempted(result, clock.GetUtcNow(), Random.Shared.NextDouble()), result);
    }

    /// <summary>
    /// Stores in <paramref name="session"/> what <see cref="SubscriptionHealth"/> decides after <paramref name="result"/>:
    /// the failing streak starts or ends, or the subscription is disabled.
    /// </summary>
    static SubscriptionHealth RecordHealth(IDocumentSession session, WebhookSubscription subscription, AttemptResult result, DateTimeOffset now)
    {
        var health = SubscriptionHealth.After(result, subscription.FailingSince, now);
        // Patches of just these fields, each guarded by the state it changes: a PATCH from a person (a rotation, a
        // re-enable) or a concurrent attempt's outcome saved meanwhile is never overwritten with a stale copy.
        var id = subscription.Id;
        if (health.FailingSince is null && subscription.FailingSince is not null)
            session.Patch<WebhookSubscription>(x => x.Id == id && x.FailingSince != null).Set(x => x.FailingSince, null);
        else if (health.FailingSince is { } since && subscription.FailingSince is null)
            session.Patch<WebhookSubscription>(x => x.Id == id && x.FailingSince == null).Set(x => x.FailingSince, since);
        if (health.DisableReason is not { } disable) return health;
        DateTimeOffset? streakStartedBy = now - SubscriptionHealth.DisableAfterFailingFor;
        var patch = result.Gone
            ? session.Patch<WebhookSubscription>(x => x.Id == id && x.Enabled)
            : session.Patch<WebhookSubscription>(x => x.Id == id && x.Enabled && x.FailingSince != null && x.FailingSince <= streakStartedBy);
        patch.Set(x => x.Enabled, false).Set(x => x.DisabledReason, disable).Set(x => x.DisabledAt, now);
        return health;
    }
}
