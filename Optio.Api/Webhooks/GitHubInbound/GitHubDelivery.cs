namespace Optio.Api.Webhooks.GitHubInbound;

/// <summary>
/// A delivery GitHub sent us, kept by its <c>X-GitHub-Delivery</c> id: the primary key is what makes a
/// redelivery of the same id change nothing, and the stored payload is what the handler works from.
/// </summary>
public sealed class GitHubDelivery
{
    public string Id { get; set; } = "";
    public string Event { get; set; } = "";
    public string? Action { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
}

/// <summary>Work out what a stored GitHub delivery means for our tasks.</summary>
public sealed record ProcessGitHubDelivery(string DeliveryId);
