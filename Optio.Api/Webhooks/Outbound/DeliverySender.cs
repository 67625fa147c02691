using JasperFx;
using Marten;
using Marten.Patching;
using Npgsql;
using Optio.Api.Repos;
using Optio.Api.Secrets;
using Optio.Api.Webhooks.Subscriptions;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;

namespace Optio.Api.Webhooks.Outbound;

/// <summary>
/// Sends due deliveries. Only the oldest pending delivery of each (subscription, task) chain goes
/// out, so a subscriber sees a task's events in order. A delivery is attempted by one node at a
/// time (a PostgreSQL advisory lock per delivery), every attempt is appended to the delivery's
/// stream, and failures are retried on <see cref="RetrySchedule"/>. A 410 disables the
/// subscription at once; so does failing for five days straight.
/// </summary>
public sealed class DeliverySender(
    IDocumentStore store,
    NpgsqlDataSource database,
    DeliveryAttempt attempt,
    SecretStore secrets,
    DeliverySignal signal,
    TimeProvider clock,
    IConfiguration configuration,
    ILogger<DeliverySender> logger) : BackgroundService
{
    public static readonly TimeSpan DisableAfterFailingFor = TimeSpan.FromDays(5);
    const int BatchSize = 200;
    readonly int _parallelism = configuration.GetValue("Optio:Webhooks:Parallelism", 16);
    readonly TimeSpan _poll = configuration.GetValue("Optio:Webhooks:PollInterval", TimeSpan.FromSeconds(1));

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
        var now = clock.GetUtcNow();
        // PostgreSQL keeps microseconds and rounds the stored time to them: compare with `now` rounded up, or a
        // delivery due at this very tick could look a microsecond early (the check after the lock is exact).
        var dueBy = new DateTimeOffset(now.Ticks + (TimeSpan.TicksPerMicrosecond - now.Ticks % TimeSpan.TicksPerMicrosecond) % TimeSpan.TicksPerMicrosecond, now.Offset);
        IReadOnlyList<DeliveryHistory> heads;
        Dictionary<Guid, WebhookSubscription> subscriptions;
        Dictionary<Guid, ConnectedRepo> repos;
        await using (var query = store.QuerySession())
        {
            var due = await query.Query<DeliveryHistory>()
                .Where(x => x.Status == DeliveryStatus.Pending && x.NextAttemptAt <= dueBy)
                .OrderBy(x => x.NextAttemptAt).Take(BatchSize).ToListAsync(ct);
            if (due.Count == 0) return 0;
            heads = await ChainHeadsAsync(query, due, ct);
            var owners = heads.Select(d => d.SubscriptionId).Distinct().ToArray();
            subscriptions = (await query.LoadManyAsync<WebhookSubscription>(ct, owners)).ToDictionary(s => s.Id);
            repos = (await query.LoadManyAsync<ConnectedRepo>(ct, owners)).ToDictionary(r => r.Id);
        }
        var attempted = 0;
        await Parallel.ForEachAsync(heads, new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = ct }, async (delivery, token) =>
        {
            if (await AttemptLockedAsync(delivery, subscriptions.GetValueOrDefault(delivery.SubscriptionId), repos.GetValueOrDefault(delivery.SubscriptionId), token))
                Interlocked.Increment(ref attempted);
        });
        return attempted;
    }

    /// <summary>Of the due deliveries, those with no older pending delivery in their chain.</summary>
    static async Task<IReadOnlyList<DeliveryHistory>> ChainHeadsAsync(IQuerySession query, IReadOnlyList<DeliveryHistory> due, CancellationToken ct)
    {
        var chains = due.Select(d => d.ChainKey).Distinct().ToArray();
        var pending = await query.Query<DeliveryHistory>()
            .Where(x => x.Status == DeliveryStatus.Pending && x.ChainKey.IsOneOf(chains))
            .Select(x => new ChainMember(x.Id, x.ChainKey, x.EventSequence))
            .ToListAsync(ct);
        var heads = pending.GroupBy(p => p.ChainKey).Select(g => g.MinBy(p => p.EventSequence)!.Id).ToHashSet();
        return due.Where(d => heads.Contains(d.Id)).ToList();
    }

    sealed record ChainMember(Guid Id, string ChainKey, long EventSequence);

    async Task<bool> AttemptLockedAsync(DeliveryHistory candidate, WebhookSubscription? subscription, ConnectedRepo? repo, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var key = LockKey(candidate.Id);
        await using (var tryLock = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } })
            if (!(bool)(await tryLock.ExecuteScalarAsync(ct))!) return false;
        try
        {
            await using var session = store.LightweightSession();
            var delivery = await session.LoadAsync<DeliveryHistory>(candidate.Id, ct);
            if (delivery is not { Status: DeliveryStatus.Pending } || delivery.NextAttemptAt > clock.GetUtcNow()) return false;
            await AttemptAsync(session, delivery, subscription, repo, ct);
            return true;
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    static long LockKey(Guid deliveryId) => BitConverter.ToInt64(deliveryId.ToByteArray(), 8);

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

    /// <summary>Makes one attempt at <paramref name="delivery"/> and records it; also used by redeliver and test pings.</summary>
    public async Task<DeliveryAttempted?> AttemptAsync(IDocumentSession session, DeliveryHistory delivery, WebhookSubscription? subscription,
        ConnectedRepo? repo, CancellationToken ct)
    {
        AttemptResult result;
        if (delivery.Channel == "slack")
        {
            var url = repo is { SlackEnabled: true, SlackWebhookSecret: { } name } ? await secrets.GetAsync(name, ct) : null;
            if (url is null) return await AbandonAsync(session, delivery, "Slack notifications are off for the repository, or it is gone", ct);
            result = await attempt.SendSlackAsync(url, delivery.Body, ct);
        }
        else
        {
            if (subscription is null) return await AbandonAsync(session, delivery, "the subscription was deleted", ct);
            if (!subscription.Enabled) return await AbandonAsync(session, delivery, $"the subscription is disabled: {subscription.DisabledReason}", ct);
            result = await attempt.SendWebhookAsync(delivery, subscription, ct);
        }

        var now = clock.GetUtcNow();
        var number = delivery.AttemptCount + 1;
        var retryIn = result.Succeeded || result.Gone || delivery.SingleAttempt ? null
            : RetrySchedule.DelayBefore(number + 1, Random.Shared.NextDouble(), result.RetryAfter);
        var attempted = new DeliveryAttempted(number, now, result.StatusCode, result.Error, result.DurationMs, result.ResponseExcerpt,
            result.Succeeded, now + retryIn);
        session.Events.Append(delivery.Id, delivery.Version + 1, attempted);
        // The subscription's health changes in the same transaction as the attempt it follows from.
        var disabled = subscription is null ? null : RecordHealth(session, subscription, result, now);
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (ConcurrencyException)
        {
            return null; // another node recorded this attempt's outcome first
        }
        OptioMetrics.DeliveryAttempts.Add(1, new KeyValuePair<string, object?>("outcome", result.Succeeded ? "delivered" : "failed"));
        if (subscription is not null)
        {
            subscription.FailingSince = result.Succeeded ? null : subscription.FailingSince ?? now;
            if (disabled is not null) logger.LogWarning("Disabled webhook subscription {Subscription}: {Reason}", subscription.Id, disabled);
        }
        return attempted;
    }

    async Task<DeliveryAttempted?> AbandonAsync(IDocumentSession session, DeliveryHistory delivery, string reason, CancellationToken ct)
    {
        session.Events.Append(delivery.Id, delivery.Version + 1, new DeliveryAbandoned(reason, clock.GetUtcNow()));
        try { await session.SaveChangesAsync(ct); } catch (ConcurrencyException) { }
        return null;
    }

    /// <summary>
    /// Tracks the subscription's failing streak in <paramref name="session"/>: it starts, ends, or (410, or five days
    /// straight) disables the subscription. Returns the reason when it disables it.
    /// </summary>
    static string? RecordHealth(IDocumentSession session, WebhookSubscription subscription, AttemptResult result, DateTimeOffset now)
    {
        string? disable = result.Gone ? "the endpoint answered 410 Gone"
            : !result.Succeeded && subscription.FailingSince is { } since && now - since >= DisableAfterFailingFor
                ? $"every delivery failed for {DisableAfterFailingFor.TotalDays:0} days (since {since:O})"
                : null;

        // Patches of just these fields, each guarded by the state it changes: a PATCH from a person (a rotation, a
        // re-enable) or a concurrent attempt's outcome saved meanwhile is never overwritten with a stale copy.
        var id = subscription.Id;
        if (result.Succeeded && subscription.FailingSince is not null)
            session.Patch<WebhookSubscription>(x => x.Id == id && x.FailingSince != null).Set(x => x.FailingSince, null);
        else if (!result.Succeeded && subscription.FailingSince is null)
            session.Patch<WebhookSubscription>(x => x.Id == id && x.FailingSince == null).Set(x => x.FailingSince, now);
        if (disable is null) return null;
        DateTimeOffset? streakStartedBy = now - DisableAfterFailingFor;
        var patch = result.Gone
            ? session.Patch<WebhookSubscription>(x => x.Id == id && x.Enabled)
            : session.Patch<WebhookSubscription>(x => x.Id == id && x.Enabled && x.FailingSince != null && x.FailingSince <= streakStartedBy);
        patch.Set(x => x.Enabled, false).Set(x => x.DisabledReason, disable).Set(x => x.DisabledAt, now);
        return disable;
    }
}
