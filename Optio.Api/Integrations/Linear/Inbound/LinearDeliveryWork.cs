using Marten;
using Optio.Api.Core.Audit;

namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>
/// Handling a stored Linear delivery: once (a processed one is skipped), each failed attempt recorded on the delivery
/// and retried by Wolverine, as <see cref="GitHub.Inbound.GitHubDeliveryWork"/> does for GitHub's.
/// </summary>
public static class LinearDeliveryWork
{
    public static async Task HandleOnceAsync(IDocumentStore store, string deliveryId, TimeProvider clock,
        Func<IDocumentSession, LinearIssueEvent, Task> handle, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<LinearDelivery>(deliveryId, ct) is not { ProcessedAt: null } delivery) return;
        // Everything this delivery makes happen is recorded as its doing.
        using var actor = Actors.ActAs(Actor.LinearWebhook(deliveryId, $"{delivery.Type} {delivery.Action}"));
        try
        {
            await handle(session, LinearPayload.ReadIssue(delivery.Payload));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await using var failed = store.LightweightSession();
            delivery.Error = e.Message;
            delivery.Attempts++;
            delivery.FailedAt = clock.GetUtcNow();
            failed.Store(delivery);
            await failed.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        delivery.ProcessedAt = clock.GetUtcNow();
        delivery.Error = null;
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }
}
