using Marten;
using Optio.Api.Tickets.Providers;

namespace Optio.Api.Repos;

/// <summary>Repositories Optio works in: connected ones, and those a GitHub provider watches.</summary>
public static class KnownRepos
{
    public static async Task<bool> ContainsAsync(IQuerySession session, string owner, string name, CancellationToken ct)
    {
        owner = owner.ToLowerInvariant();
        name = name.ToLowerInvariant();
        if (await session.Query<ConnectedRepo>().AnyAsync(x => x.Owner == owner && x.Name == name, ct)) return true;
        var providers = await session.Query<TicketProvider>().Where(x => x.Source == "github").ToListAsync(ct);
        return providers.Any(p => p.GitHub!.Repos.Any(r => r.Owner == owner && r.Name == name));
    }

}
