using Optio.Api.Tickets.Providers;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Sync;

/// <summary>What one scope of a provider (a GitHub repo, a Linear team) holds now.</summary>
/// <param name="Scope">Shown in status and logs: <c>acme/webapp</c>, or the Linear team.</param>
/// <param name="Tickets">The open, labelled tickets; null when the scope is unchanged since the last sync (a 304).</param>
/// <param name="ExternalIdPrefix">Which of the provider's tickets belong to this scope (<c>acme/webapp#</c>; null: all of them):
/// those still queued but no longer listed were withdrawn upstream.</param>
/// <param name="NotApplied">Called when what was read is not imported after all (the import failed, or the sync stopped first):
/// the next sync must read the scope in full again instead of being told "not modified".</param>
public sealed record ScopeFetch(string Scope, IReadOnlyList<IncomingTicket>? Tickets, string? ExternalIdPrefix, Action? NotApplied = null);

/// <summary>A ticket provider's API, as the sync sees it.</summary>
public interface ITicketSource
{
    string Source { get; }

    IAsyncEnumerable<ScopeFetch> FetchAsync(TicketProvider provider, CancellationToken ct);
}

/// <summary>The provider asked us to slow down; sync again after <see cref="RetryAfter"/>.</summary>
public sealed class ProviderRateLimitedException(TimeSpan retryAfter, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
