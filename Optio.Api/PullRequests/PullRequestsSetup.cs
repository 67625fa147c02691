using Wolverine;
using Wolverine.Runtime.Agents;
using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.PullRequests;

public static class PullRequestsSetup
{
    /// <summary>Following each task's pull request: GitHub's PR events, and the poll cycle for what webhooks miss.</summary>
    public static IServiceCollection AddOptioPullRequests(this IServiceCollection services)
    {
        services.ConfigureWolverine(opts => opts.PublishMessage<PollPullRequest>().ToLocalQueue("pull-requests").MaximumParallelMessages(4));
        services.AddSingleton<TicketPullRequestFinder>();
        services.AddOptioOptions<PullRequestsOptions>(PullRequestsOptions.Section, PullRequestsOptions.Problems);
        services.AddSingleton<FollowedPullRequests>();
        services.AddSingleton<PullRequestPoller>();
        services.AddSingleton<IAgentFamily>(sp => sp.GetRequiredService<PullRequestPoller>());
        return services;
    }
}
