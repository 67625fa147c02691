using Marten;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.GitHub.Inbound;
using Optio.Api.Integrations.Linear;
using Optio.Api.Integrations.Linear.Inbound;
using Optio.Api.Integrations.Secrets;
using Wolverine;

namespace Optio.Api.Integrations;

public static class IntegrationsSetup
{
    /// <summary>
    /// The outside world's doors: the secrets store (credentials), the GitHub and Linear clients, GitHub's and Linear's inbound
    /// webhooks (verified, stored once, queued), and upstream failures answered as such.
    /// </summary>
    public static IServiceCollection AddOptioIntegrations(this IServiceCollection services)
    {
        services.AddOptioOptions<SecretsOptions>(SecretsOptions.Section, SecretsOptions.Problems);
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<SecretStore>();

        services.AddOptioOptions<GitHubOptions>(GitHubOptions.Section, GitHubOptions.Problems);
        services.AddSingleton<PolledResponseCache>();
        services.AddSingleton<GitHubIssues>();
        services.AddSingleton<GitHubPullRequests>();
        services.AddHttpClient(LinearClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddExceptionHandler<UpstreamFailure>();

        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<StoredSecret>();
            opts.Schema.For<GitHubDelivery>();
            opts.Schema.For<LinearDelivery>();
        });
        services.AddSignedRoute(GitHubWebhookEndpoint.Path, GitHubWebhookEndpoint.SignatureHeader);
        services.AddSignedRoute(LinearWebhookEndpoint.Path, LinearWebhookEndpoint.SignatureHeader);
        services.ConfigureWolverine(opts =>
        {
            opts.PublishMessage<GitHubIssueDelivered>().ToLocalQueue("github-inbound");
            opts.PublishMessage<GitHubPullRequestDelivered>().ToLocalQueue("github-inbound");
            opts.PublishMessage<LinearIssueDelivered>().ToLocalQueue("linear-inbound");
        });
        return services;
    }
}
