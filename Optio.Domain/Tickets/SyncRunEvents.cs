namespace Optio.Domain.Tickets;

/// <summary>A provider's sync run began (one stream per run; the run's id is its stream id).</summary>
public sealed record SyncRunStarted(Guid ProviderId, string Trigger, DateTimeOffset StartedAt);

/// <summary>
/// A sync run ended: how (<c>succeeded</c>, <c>failed</c>, <c>rate_limited</c>), what it asked the provider
/// (<paramref name="RequestsSent"/>, of which <paramref name="NotModified"/> answered 304) and what it did with the answers.
/// </summary>
public sealed record SyncRunFinished(
    string Outcome, DateTimeOffset FinishedAt, int RequestsSent, int NotModified,
    int TicketsSeen, int Imported, int Updated, int Cancelled, int Linked, int Duplicates, string? Error);
