namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>
/// A delivery GitHub sent us, kept by its <c>X-GitHub-Delivery</c> id: the primary key is what makes a
/// redelivery of the same id change nothing, and the stored payload is what the handler works from.
/// Handling that fails is recorded here (<see cref="Error"/>, <see cref="Attempts"/>), never only in a dead-letter queue.
/// </summary>
public sealed class GitHubDelivery
{
    public string Id { get; set; } = "";
    public string Event { get; set; } = "";
    public string? Action { get; set; }
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>Why the last attempt at handling it failed; cleared when an attempt succeeds.</summary>
    public string? Error { get; set; }
    /// <summary>Handling attempts that failed.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset? FailedAt { get; set; }

    public string Status => ProcessedAt is not null ? "processed" : Error is not null ? "failed" : "queued";
}

/// <summary>A stored <c>issues</c> delivery to act on (Tickets decides what it means).</summary>
public sealed record GitHubIssueDelivered(string DeliveryId);

/// <summary>A stored pull request, review or CI delivery to act on (PullRequests decides what it means).</summary>
public sealed record GitHubPullRequestDelivered(string DeliveryId);
