namespace Optio.Api.Tickets.Providers;

/// <summary>A provider as the API shows it: config without credentials (only the secret's name), and its sync status.</summary>
public sealed record ProviderView(
    Guid Id,
    string Source,
    bool Enabled,
    string? ApiUrl,
    object Config,
    ProviderStatusView Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static ProviderView From(TicketProvider p, ProviderSyncStatus? s) => new(
        p.Id, p.Source, p.Enabled, p.ApiUrl,
        p.GitHub is { } g
            ? new { repos = g.Repos.Select(r => r.ToString()).ToArray(), labels = g.Labels, assignee = g.Assignee, tokenSecret = g.TokenSecret, publishStatus = g.PublishStatus, priorityLabels = g.PriorityLabels }
            : new { teamId = p.Linear!.TeamId, projectId = p.Linear.ProjectId, label = p.Linear.Label, apiKeySecret = p.Linear.ApiKeySecret, publishStatus = p.Linear.PublishStatus },
        ProviderStatusView.From(s ?? new ProviderSyncStatus { Id = p.Id }),
        p.CreatedAt, p.UpdatedAt);
}

public sealed record ProviderStatusView(
    DateTimeOffset? LastSyncStartedAt,
    DateTimeOffset? LastSyncFinishedAt,
    string? Outcome,
    DateTimeOffset? LastSuccessAt,
    ProviderErrorView? LastError,
    int ConsecutiveFailures,
    DateTimeOffset? RateLimitedUntil,
    SyncCountsView LastRun)
{
    public static ProviderStatusView From(ProviderSyncStatus s) => new(
        s.LastStartedAt, s.LastFinishedAt, s.Outcome, s.LastSuccessAt,
        s.LastError is null ? null : new ProviderErrorView(s.LastError, s.LastErrorAt, s.LastErrorCode),
        s.ConsecutiveFailures, s.RateLimitedUntil,
        new SyncCountsView(s.TicketsSeen, s.Imported, s.Duplicates, s.Linked, s.Updated, s.Cancelled, s.Unchanged));
}

/// <param name="ErrorCode">unauthorized, rate_limited, not_found, unreachable or invalid_response; null when the failure was not GitHub's or Linear's.</param>
public sealed record ProviderErrorView(string Message, DateTimeOffset? At, string? ErrorCode = null);

public sealed record SyncCountsView(int TicketsSeen, int Imported, int SkippedAsDuplicates, int Linked, int Updated, int Cancelled, int UnchangedScopes);
