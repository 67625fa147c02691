using Optio.Api.Infrastructure;

namespace Optio.Api.PullRequests;

public static class PullRequestsSetup
{
    public static IServiceCollection AddOptioPullRequests(this IServiceCollection services)
    {
        services.AddSingleton<GitHubPullRequests>();
        services.AddSingleton<TicketPullRequestFinder>();
        services.AddOptioOptions<PullRequestsOptions>(PullRequestsOptions.Section, PullRequestsOptions.Problems);
        services.AddSingleton<PullRequestPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<PullRequestPoller>());
        return services;
    }
}
