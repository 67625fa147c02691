using Optio.Api.Core.Audit;
using Optio.Api.Integrations.Inbound;

namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>A delivery Linear sent us, kept by its <c>Linear-Delivery</c> id.</summary>
public sealed class LinearDelivery : InboundDelivery
{
    /// <summary>The payload's <c>type</c>: Issue, Comment, Project…</summary>
    public string Type { get; set; } = "";
    /// <summary>create, update or remove.</summary>
    public string Action { get; set; } = "";

    public override Actor CausedBy() => Actor.LinearWebhook(Id, $"{Type} {Action}");
}

/// <summary>A stored <c>Issue</c> delivery to act on (Tickets decides what it means).</summary>
public sealed record LinearIssueDelivered(string DeliveryId);
