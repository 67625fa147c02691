using Marten;

namespace Optio.Api.Repos;

/// <summary>A module that watches repositories without connecting them (a GitHub ticket provider's repos).</summary>
public interface IWatchedRepos
{
    Task<bool> WatchesAsync(IQuerySession session, string owner, string name, CancellationToken ct);
}

/// <summary>Repositories Optio works in: connected ones, and those a module watches.</summary>
public sealed class KnownRepos(IEnumerable<IWatchedRepos> watchers)
{
    public async Task<bool> ContainsAsync(IQuerySession session, string owner, string name, CancellationToken ct)
    {
        owner = owner.ToLowerInvariant();
        name = name.ToLowerInvariant();
        if (await session.Query<ConnectedRepo>().AnyAsync(x => x.Owner == owner && x.Name == name, ct)) return true;
        foreach (var watcher in watchers)
            if (await watcher.WatchesAsync(session, owner, name, ct)) return true;
        return false;
    }
}
