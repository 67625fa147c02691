using Optio.Api.Core.Audit;
using Optio.Api.Integrations.Inbound;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>A delivery GitHub sent us, kept by its <c>X-GitHub-Delivery</c> id.</summary>
public sealed class GitHubDelivery : InboundDelivery
{
    public string Event { get; set; } = "";
    public string? Action { get; set; }

    public override Actor CausedBy() => Actor.GitHubWebhook(Id, Event);

    public string Status => ProcessedAt is not null ? "processed" : Error is not null ? "failed" : "queued";
}

/// <summary>A stored <c>issues</c> delivery to act on (Tickets decides what it means).</summary>
public sealed record GitHubIssueDelivered(string DeliveryId);

/// <summary>A stored pull request, review or CI delivery to act on (PullRequests decides what it means).</summary>
public sealed record GitHubPullRequestDelivered(string DeliveryId);
