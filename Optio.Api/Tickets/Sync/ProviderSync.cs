using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Runtime;
using Optio.Api.Core;
using Optio.Api.Core.Audit;
using Optio.Api.Core.Database;
using Optio.Api.Core.Http;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;

namespace Optio.Api.Tickets.Sync;

/// <summary>The outcome of one sync attempt.</summary>
public enum SyncOutcome { Succeeded, Failed, RateLimited, Busy, Skipped }

/// <summary>
/// Syncs one provider: fetch each scope, import what is new, follow edits, cancel queued tasks
/// whose tickets were closed or unlabelled, and record how it went on the provider. A PostgreSQL
/// advisory lock keyed by the provider makes sure one worker, on one node, syncs it at a time.
/// Failures are recorded on the provider, never thrown away; rate limits reschedule the sync.
/// </summary>
public sealed class ProviderSync(
    IDocumentStore store,
    NpgsqlDataSource database,
    IEnumerable<ITicketSource> sources,
    TicketImporter importer,
    TaskWriter writer,
    IWolverineRuntime wolverine,
    TimeProvider clock,
    ILogger<ProviderSync> logger)
{
    const int SyncLockSpace = 0x0971_0001;

    public const string WithdrawnReason = "ticket closed or label removed upstream";

    public async Task<SyncOutcome> RunAsync(Guid providerId, string trigger, CancellationToken ct)
    {
        await using var held = await AdvisoryLock.TryAcquireAsync(database, SyncLockSpace, providerId, ct);
        if (held is null)
        {
            logger.LogDebug("Provider {Provider} is already syncing elsewhere; skipping ({Trigger})", providerId, trigger);
            return SyncOutcome.Busy;
        }
        return await SyncLockedAsync(providerId, trigger, ct);
    }

    async Task<SyncOutcome> SyncLockedAsync(Guid providerId, string trigger, CancellationToken ct)
    {
        TicketProvider? provider;
        ProviderSyncStatus status;
        await using (var query = store.QuerySession())
        {
            provider = await query.LoadAsync<TicketProvider>(providerId, ct);
            status = await query.LoadAsync<ProviderSyncStatus>(providerId, ct) ?? new ProviderSyncStatus { Id = providerId };
        }
        if (provider is not { Enabled: true }) return SyncOutcome.Skipped;
        var now = clock.GetUtcNow();
        if (status.RateLimitedUntil > now && trigger != "rate limit over") return SyncOutcome.Skipped;

        var source = sources.Single(s => s.Source == provider.Source);
        // A run is a stream of its own (SyncRunStarted … SyncRunFinished); what it appends anywhere is its doing.
        var runId = Guid.CreateVersion7();
        using var actor = Actors.ActAs(Actor.Sync(providerId, runId, trigger));
        using var counting = OutboundRequests.Count(out var requests);
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream(runId, new SyncRunStarted(providerId, trigger, now));
            await session.SaveChangesAsync(ct);
        }
        // The last error and the last success outlive the runs after them: each says when it happened.
        var run = new ProviderSyncStatus
        {
            Id = providerId, LastStartedAt = now, ConsecutiveFailures = status.ConsecutiveFailures,
            LastError = status.LastError, LastErrorAt = status.LastErrorAt, LastErrorCode = status.LastErrorCode, LastSuccessAt = status.LastSuccessAt,
        };
        try
        {
            await foreach (var scope in FetchAheadAsync(source, provider, ct))
                await ForgottenIfFailedAsync(scope, () => ApplyScopeAsync(provider, scope, run, ct));
            run.Outcome = "succeeded";
            run.ConsecutiveFailures = 0;
            return SyncOutcome.Succeeded;
        }
        catch (ProviderRateLimitedException e)
        {
            run.Outcome = "rate_limited";
            run.RateLimitedUntil = clock.GetUtcNow() + e.RetryAfter;
            run.LastError = e.Message;
            run.LastErrorAt = clock.GetUtcNow();
            run.LastErrorCode = Integrations.UpstreamErrorCode.RateLimited;
            await new MessageBus(wolverine).ScheduleAsync(new SyncProvider(providerId, "rate limit over"), e.RetryAfter);
            logger.LogWarning("Provider {Provider} is rate limited; syncing again in {RetryAfter}", providerId, e.RetryAfter);
            return SyncOutcome.RateLimited;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            run.Outcome = "failed";
            run.ConsecutiveFailures++;
            run.LastError = e.Message;
            run.LastErrorAt = clock.GetUtcNow();
            run.LastErrorCode = Integrations.UpstreamErrorCode.Of(e);
            logger.LogWarning(e, "Sync of provider {Provider} failed ({Failures} in a row)", providerId, run.ConsecutiveFailures);
            return SyncOutcome.Failed;
        }
        finally
        {
            run.LastFinishedAt = clock.GetUtcNow();
            if (run.Outcome == "succeeded") run.LastSuccessAt = run.LastFinishedAt;
            await using var session = store.LightweightSession();
            session.Store(run);
            session.Events.Append(runId, 2L, new SyncRunFinished(run.Outcome ?? "failed", run.LastFinishedAt.Value, requests.Sent, requests.NotModified,
                run.TicketsSeen, run.Imported, run.Updated, run.Cancelled, run.Linked, run.Duplicates,
                run.Outcome == "succeeded" ? null : run.LastError));
            await session.SaveChangesAsync(CancellationToken.None);
            OptioMetrics.SyncRuns.Add(1, new KeyValuePair<string, object?>("outcome", run.Outcome));
            if (run.Imported + run.Updated >= ProcessFootprint.BurstSize) ProcessFootprint.ReleaseAfterBurst();
        }
    }

    /// <summary>
    /// The source's scopes, the next one read while the last is imported (the fetch waits on the network, the import on
    /// the database). One scope ahead at most; a failed fetch surfaces at the scope it failed on, and a scope read ahead but
    /// never handed on is forgotten (<see cref="ScopeFetch.NotApplied"/>).
    /// </summary>
    static async IAsyncEnumerable<ScopeFetch> FetchAheadAsync(ITicketSource source, TicketProvider provider, [EnumeratorCancellation] CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var ahead = Channel.CreateBounded<ScopeFetch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var fetching = Task.Run(async () =>
        {
            try
            {
                await foreach (var scope in source.FetchAsync(provider, stop.Token))
                    await ForgottenIfFailedAsync(scope, () => ahead.Writer.WriteAsync(scope, stop.Token).AsTask());
                ahead.Writer.Complete();
            }
            catch (Exception e)
            {
                ahead.Writer.Complete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var scope in ahead.Reader.ReadAllAsync(ct)) yield return scope;
        }
        finally
        {
            await stop.CancelAsync();
            await fetching;
            while (ahead.Reader.TryRead(out var unread)) unread.NotApplied?.Invoke();
        }
    }

    /// <summary>Runs what a scope's import depends on; if it fails, the scope is forgotten (<see cref="ScopeFetch.NotApplied"/>).</summary>
    static async Task ForgottenIfFailedAsync(ScopeFetch scope, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch
        {
            scope.NotApplied?.Invoke();
            throw;
        }
    }

    async Task ApplyScopeAsync(TicketProvider provider, ScopeFetch scope, ProviderSyncStatus run, CancellationToken ct)
    {
        if (scope.Tickets is null)
        {
            run.Unchanged++;
            return;
        }
        run.TicketsSeen += scope.Tickets.Count;
        var report = await importer.ImportAsync(scope.Tickets, provider.Id, ct);
        run.Imported += report.Imported;
        run.Duplicates += report.Duplicates;
        run.Linked += report.Linked;
        run.Updated += report.Updated;
        run.Cancelled += await CancelWithdrawnAsync(provider, scope, ct);
    }

    /// <summary>Queued tasks of this provider and scope whose tickets are no longer listed were closed or unlabelled.</summary>
    async Task<int> CancelWithdrawnAsync(TicketProvider provider, ScopeFetch scope, CancellationToken ct)
    {
        var listed = scope.Tickets!.Select(t => t.Ticket.ExternalId).ToHashSet();
        IReadOnlyList<QueuedTicket> queued;
        await using (var query = store.QuerySession())
        {
            var rows = query.Query<TaskSummary>().Where(x => x.ProviderId == provider.Id && x.State == TaskState.Queued);
            if (scope.ExternalIdPrefix is { } prefix) rows = rows.Where(x => x.Ticket!.ExternalId.StartsWith(prefix));
            queued = await rows.Select(x => new QueuedTicket(x.Id, x.Ticket!.ExternalId)).ToListAsync(ct);
        }
        var cancelled = 0;
        foreach (var row in queued.Where(r => !listed.Contains(r.ExternalId)))
        {
            var ticket = Optio.Domain.Tickets.TicketKey.Of(provider.Source, row.ExternalId);
            var outcome = await writer.DecideAsync(row.Id, null, t => t.FollowTicketWithdrawn(ticket, WithdrawnReason), ct);
            if (outcome is WriteOutcome.Written { Appended: > 0 }) cancelled++;
        }
        return cancelled;
    }

    sealed record QueuedTicket(Guid Id, string ExternalId);
}
