using Optio.Api.Infrastructure;
using Optio.Api.Secrets;
using Optio.Api.Tickets.CloseBack;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Linear;
using Optio.Api.Tickets.Sync;

namespace Optio.Api.Tickets;

public static class TicketsSetup
{
    /// <summary>Secrets, the two providers (GitHub, Linear), sync on a schedule, import and close-back.</summary>
    public static IServiceCollection AddOptioTickets(this IServiceCollection services)
    {
        services.AddOptioOptions<SecretsOptions>(SecretsOptions.Section, SecretsOptions.Problems);
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<SecretStore>();
        services.AddSingleton<TicketImporter>();
        services.AddSingleton<ProviderSync>();
        services.AddOptioOptions<SyncOptions>(SyncOptions.Section, SyncOptions.Problems);
        services.AddSingleton<SyncSchedule>();
        services.AddHostedService(sp => sp.GetRequiredService<SyncSchedule>());
        services.AddOptioOptions<CloseBackOptions>(CloseBackOptions.Section, CloseBackOptions.Problems)
            .PostConfigure(o => { if (o.RetryDelays.Count == 0) o.RetryDelays = [.. CloseBackOptions.DefaultRetryDelays]; });

        services.AddOptioOptions<GitHubOptions>(GitHubOptions.Section, GitHubOptions.Problems);
        services.AddSingleton<PolledResponseCache>();
        services.AddSingleton<GitHubIssues>();
        services.AddSingleton<GitHubAccess>();
        services.AddSingleton<ITicketSource, GitHubTicketSource>();
        services.AddSingleton<ITicketCloser, GitHubTicketCloser>();

        services.AddHttpClient(LinearAccess.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<LinearAccess>();
        services.AddSingleton<ITicketSource, LinearTicketSource>();
        services.AddSingleton<ITicketCloser, LinearTicketCloser>();
        return services;
    }
}
