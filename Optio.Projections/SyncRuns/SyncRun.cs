using Optio.Domain.Tickets;

namespace Optio.Projections.SyncRuns;

/// <summary>One sync run of a provider, as its events tell it: the run history read model.</summary>
public sealed record SyncRun
{
    public Guid Id { get; init; }
    public Guid ProviderId { get; init; }
    public string Trigger { get; init; } = "";
    /// <summary>running until the run finishes, then succeeded, failed or rate_limited.</summary>
    public string Outcome { get; init; } = "running";
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public int RequestsSent { get; init; }
    public int NotModified { get; init; }
    public int TicketsSeen { get; init; }
    public int Imported { get; init; }
    public int Updated { get; init; }
    public int Cancelled { get; init; }
    public int Linked { get; init; }
    public int Duplicates { get; init; }
    public string? Error { get; init; }

    public static SyncRun Started(Guid id, SyncRunStarted e) =>
        new() { Id = id, ProviderId = e.ProviderId, Trigger = e.Trigger, StartedAt = e.StartedAt };

    public SyncRun Finished(SyncRunFinished e) => this with
    {
        Outcome = e.Outcome, FinishedAt = e.FinishedAt, RequestsSent = e.RequestsSent, NotModified = e.NotModified,
        TicketsSeen = e.TicketsSeen, Imported = e.Imported, Updated = e.Updated, Cancelled = e.Cancelled, Linked = e.Linked,
        Duplicates = e.Duplicates, Error = e.Error,
    };
}
