using Marten;
using Optio.Api.Integrations.Inbound;

namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>Handling a stored Linear delivery once, as <see cref="InboundDeliveryWork"/> handles every provider's.</summary>
public static class LinearDeliveryWork
{
    public static Task HandleOnceAsync(IDocumentStore store, string deliveryId, TimeProvider clock,
        Func<IDocumentSession, LinearIssueEvent, Task> handle, CancellationToken ct) =>
        InboundDeliveryWork.HandleOnceAsync<LinearDelivery, LinearIssueEvent>(store, deliveryId, clock,
            delivery => LinearPayload.ReadIssue(delivery.Payload), handle, ct);
}
