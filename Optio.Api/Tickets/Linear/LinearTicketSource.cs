using System.Runtime.CompilerServices;
using Optio.Api.Integrations.Linear;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Linear;

/// <summary>A Linear provider is one scope: its team (and project), all pages.</summary>
public sealed class LinearTicketSource(LinearAccess access) : ITicketSource
{
    static readonly TimeSpan DefaultBackOff = TimeSpan.FromSeconds(60);

    public string Source => TicketSource.Linear;

    public async IAsyncEnumerable<ScopeFetch> FetchAsync(TicketProvider provider, [EnumeratorCancellation] CancellationToken ct)
    {
        var settings = await access.ForProviderAsync(provider, ct);
        IReadOnlyList<IncomingTicket> tickets;
        try
        {
            tickets = await access.Client().FetchOpenIssuesAsync(settings, ct);
        }
        catch (LinearRateLimitedException e)
        {
            var wait = e.RetryAfter is { } after && after > TimeSpan.Zero ? after : DefaultBackOff;
            throw new ProviderRateLimitedException(wait, $"Linear rate limit: retrying in {wait.TotalSeconds:0} s", e);
        }
        var scope = settings.TeamId is null ? "all teams" : $"team {settings.TeamId}" + (settings.ProjectId is null ? "" : $", project {settings.ProjectId}");
        yield return new ScopeFetch(scope, tickets, ExternalIdPrefix: null);
    }
}
