using JasperFx;

namespace Optio.Api.Repos;

/// <summary>A GitHub repository Optio works in. <see cref="Url"/> is normalised and unique.</summary>
public sealed class ConnectedRepo : IRevisioned
{
    public Guid Id { get; set; }
    /// <summary>Marten's revision of this document (mt_version): the ETag of a GET, the If-Match of a PATCH.</summary>
    public int Version { get; set; }
    public string Url { get; set; } = "";
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public string DefaultBranch { get; set; } = "main";
    public bool SlackEnabled { get; set; }
    /// <summary>Name of the secret holding the Slack incoming-webhook URL (the URL is a credential).</summary>
    public string? SlackWebhookSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record RepoView(Guid Id, string Url, string Owner, string Name, string DefaultBranch, bool SlackEnabled,
    bool SlackWebhookConfigured, DateTimeOffset CreatedAt)
{
    public static RepoView From(ConnectedRepo r) =>
        new(r.Id, r.Url, r.Owner, r.Name, r.DefaultBranch, r.SlackEnabled, r.SlackWebhookSecret is not null, r.CreatedAt);
}
