namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>
/// A delivery Linear sent us, kept by its <c>Linear-Delivery</c> id: the primary key makes a redelivery of the same id
/// change nothing, and the stored payload is what the handler works from. A failed attempt at handling it is recorded
/// here (<see cref="Error"/>, <see cref="Attempts"/>), as for GitHub's deliveries.
/// </summary>
public sealed class LinearDelivery
{
    public string Id { get; set; } = "";
    /// <summary>The payload's <c>type</c>: Issue, Comment, Project…</summary>
    public string Type { get; set; } = "";
    /// <summary>create, update or remove.</summary>
    public string Action { get; set; } = "";
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>A stored <c>Issue</c> delivery to act on (Tickets decides what it means).</summary>
public sealed record LinearIssueDelivered(string DeliveryId);
