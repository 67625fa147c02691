using Marten;
using Optio.Api.Repos;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Providers;

/// <summary>The repositories GitHub ticket providers watch are repositories Optio works in.</summary>
public sealed class ProviderWatchedRepos : IWatchedRepos
{
    public async Task<bool> WatchesAsync(IQuerySession session, string owner, string name, CancellationToken ct)
    {
        var providers = await session.Query<TicketProvider>().Where(x => x.Source == TicketSource.GitHub).ToListAsync(ct);
        return providers.Any(p => p.GitHub!.Repos.Any(r => r.Owner == owner && r.Name == name));
    }
}
