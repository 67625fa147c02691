using JasperFx;

namespace Optio.Api.Tickets.Providers;

/// <summary>A GitHub repository a provider watches.</summary>
public sealed record WatchedRepo(string Owner, string Name)
{
    public override string ToString() => $"{Owner}/{Name}";
}

/// <summary>GitHub Issues: open issues in these repos carrying ANY of the labels (optionally one assignee's).</summary>
/// <param name="PublishStatus">Show each task's status on its issue (one comment edited in place, an <c>optio:*</c> label).</param>
/// <param name="PriorityLabels">Label → priority on Linear's scale (<c>{"P0": 1, "P1": 2}</c>): an issue's priority is its most urgent mapped label's.</param>
public sealed record GitHubProviderConfig(IReadOnlyList<WatchedRepo> Repos, IReadOnlyList<string> Labels, string? Assignee, string TokenSecret,
    bool PublishStatus = true, IReadOnlyDictionary<string, int>? PriorityLabels = null)
{
    /// <summary>The priority the labels map to (the most urgent when several do); null when none is mapped.</summary>
    public int? PriorityOf(IEnumerable<string> labels) =>
        PriorityLabels is not { Count: > 0 } map ? null
        : labels.Select(l => map.FirstOrDefault(m => m.Key.Equals(l, StringComparison.OrdinalIgnoreCase)))
            .Where(m => m.Key is not null).Select(m => (int?)m.Value)
            .MinBy(p => Optio.Domain.Tasks.TaskPriority.ClaimRank(p));

    /// <summary>The ticket with the priority its labels map to.</summary>
    public Optio.Domain.Tickets.IncomingTicket WithPriority(Optio.Domain.Tickets.IncomingTicket ticket) =>
        PriorityLabels is not { Count: > 0 } ? ticket
        : ticket with { Metadata = ticket.Metadata with { Priority = PriorityOf(ticket.Metadata.Labels) } };
}

/// <summary>Linear: issues with the label, not completed or cancelled, in the team (and project when given).</summary>
/// <param name="PublishStatus">Show each task's status on its issue (one comment kept current, moved to started when it runs).</param>
public sealed record LinearProviderConfig(string? TeamId, string? ProjectId, string Label, string ApiKeySecret, bool PublishStatus = true);

/// <summary>Where tickets come from. Its sync status lives apart (<see cref="ProviderSyncStatus"/>) so a sync never overwrites an edit.</summary>
public sealed class TicketProvider : IRevisioned
{
    public Guid Id { get; set; }
    /// <summary>Marten's revision of this document (mt_version): the ETag of a GET, the If-Match of a PATCH.</summary>
    public int Version { get; set; }
    public string Source { get; set; } = "";
    public GitHubProviderConfig? GitHub { get; set; }
    public LinearProviderConfig? Linear { get; set; }
    /// <summary>Whether tasks of this provider show their status on their tickets (<c>config.publishStatus</c>, default on).</summary>
    public bool PublishesStatus => GitHub?.PublishStatus ?? Linear?.PublishStatus ?? false;
    public bool Enabled { get; set; }
    /// <summary>GitHub Enterprise / Linear endpoint override; also how tests point at a local fake.</summary>
    public string? ApiUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>How the provider's syncs have gone.</summary>
public sealed class ProviderSyncStatus
{
    public Guid Id { get; set; }
    public DateTimeOffset? LastStartedAt { get; set; }
    public DateTimeOffset? LastFinishedAt { get; set; }
    /// <summary>succeeded, failed, rate_limited.</summary>
    public string? Outcome { get; set; }
    /// <summary>The latest failure, kept after later runs succeed: compare <see cref="LastErrorAt"/> with <see cref="LastSuccessAt"/>.</summary>
    public string? LastError { get; set; }
    public DateTimeOffset? LastErrorAt { get; set; }
    /// <summary>Why, for machines: unauthorized, rate_limited, not_found, unreachable or invalid_response (null: not the upstream's fault).</summary>
    public string? LastErrorCode { get; set; }
    /// <summary>When a run last succeeded.</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? RateLimitedUntil { get; set; }
    public int TicketsSeen { get; set; }
    public int Imported { get; set; }
    public int Duplicates { get; set; }
    public int Linked { get; set; }
    public int Updated { get; set; }
    public int Cancelled { get; set; }
    /// <summary>Repos (or scopes) that answered "not modified" in the last run.</summary>
    public int Unchanged { get; set; }
}
