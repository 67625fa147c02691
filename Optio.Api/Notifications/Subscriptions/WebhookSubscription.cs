using JasperFx;

namespace Optio.Api.Notifications.Subscriptions;

/// <summary>A subscriber: where to POST, which events, and the secret (sealed) to sign with.</summary>
public sealed class WebhookSubscription : IRevisioned
{
    public Guid Id { get; set; }
    /// <summary>Marten's revision of this document (mt_version): the ETag of a GET, the If-Match of a PATCH.</summary>
    public int Version { get; set; }
    public string Url { get; set; } = "";
    public List<string> Events { get; set; } = [];
    public byte[] SealedSecret { get; set; } = [];
    /// <summary>During a rotation, the old secret still signs (beside the new one) until <see cref="PreviousSecretUntil"/>.</summary>
    public byte[]? SealedPreviousSecret { get; set; }
    public DateTimeOffset? PreviousSecretUntil { get; set; }
    public bool Enabled { get; set; } = true;
    public string? DisabledReason { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
    /// <summary>Start of the current run of failed attempts; null after any success.</summary>
    public DateTimeOffset? FailingSince { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public string SecretName => $"webhook-{Id:N}";
    public string PreviousSecretName => $"webhook-{Id:N}-previous";
}

public sealed record WebhookSubscriptionView(
    Guid Id, string Url, IReadOnlyList<string> Events, bool Enabled, string? DisabledReason, DateTimeOffset? DisabledAt,
    DateTimeOffset? FailingSince, bool RotatingSecret, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    /// <summary>Only in the answer that generated it: shown once, never again.</summary>
    string? Secret = null)
{
    public static WebhookSubscriptionView From(WebhookSubscription s, DateTimeOffset now, string? newSecret = null) => new(
        s.Id, s.Url, s.Events, s.Enabled, s.DisabledReason, s.DisabledAt, s.FailingSince,
        s.PreviousSecretUntil > now, s.CreatedAt, s.UpdatedAt, newSecret);
}
