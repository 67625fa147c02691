using Marten;
using Optio.Api.Integrations.Inbound;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>Handling a stored GitHub delivery once, as <see cref="InboundDeliveryWork"/> handles every provider's.</summary>
public static class GitHubDeliveryWork
{
    public static Task HandleOnceAsync(IDocumentStore store, string deliveryId, TimeProvider clock,
        Func<IDocumentSession, GitHubEvent, Task> handle, CancellationToken ct) =>
        InboundDeliveryWork.HandleOnceAsync<GitHubDelivery, GitHubEvent>(store, deliveryId, clock,
            delivery => GitHubPayload.Read(delivery.Event, delivery.Payload), handle, ct);
}
