using Marten;
using Optio.Api.Core.Audit;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>
/// Handling a stored GitHub delivery: once (a processed one is skipped), each failed attempt recorded on the
/// delivery (never only in a dead-letter queue) and retried by Wolverine.
/// </summary>
public static class GitHubDeliveryWork
{
    public static async Task HandleOnceAsync(IDocumentStore store, string deliveryId, TimeProvider clock,
        Func<IDocumentSession, GitHubEvent, Task> handle, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<GitHubDelivery>(deliveryId, ct) is not { ProcessedAt: null } delivery) return;
        // Everything this delivery makes happen is recorded as its doing.
        using var actor = Actors.ActAs(Actor.GitHubWebhook(deliveryId, delivery.Event));
        try
        {
            await handle(session, GitHubPayload.Read(delivery.Event, delivery.Payload));
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
}
