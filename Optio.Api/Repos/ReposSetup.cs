using Marten;

namespace Optio.Api.Repos;

public static class ReposSetup
{
    /// <summary>The connected repositories (their URL unique in the database).</summary>
    public static IServiceCollection AddOptioRepos(this IServiceCollection services)
    {
        services.ConfigureMarten(opts => opts.Schema.For<ConnectedRepo>().UniqueIndex(x => x.Url));
        services.AddSingleton<KnownRepos>();
        return services;
    }
}
