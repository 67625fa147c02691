using Marten;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Linear;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Linear;

/// <summary>A <see cref="LinearClient"/> and the settings of a Linear provider (its key comes from the secrets store).</summary>
public sealed class LinearAccess(IHttpClientFactory httpFactory, SecretStore secrets, IDocumentStore store, GitHubAccess github)
{
    public LinearClient Client() => new(httpFactory.CreateClient(LinearClient.HttpClientName), GitHubWeb.UrlOf(github.DefaultApiUrl));

    public async Task<LinearSettings> ForProviderAsync(TicketProvider provider, CancellationToken ct)
    {
        var config = provider.Linear!;
        var key = await secrets.GetAsync(config.ApiKeySecret, ct)
            ?? throw new LinearApiException($"No Linear API key: the secret '{config.ApiKeySecret}' is not set (PUT /api/secrets/{config.ApiKeySecret}).");
        return new LinearSettings(provider.ApiUrl is { } url ? new Uri(url) : LinearSettings.DefaultApiUrl, key, config.TeamId, config.ProjectId, config.Label);
    }

    /// <summary>The provider that imported the ticket if it is a Linear one, else the first Linear provider configured.</summary>
    public async Task<LinearSettings> ForTicketAsync(Guid? providerId, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var providers = await query.Query<TicketProvider>().Where(x => x.Source == TicketSource.Linear).OrderBy(x => x.CreatedAt).ToListAsync(ct);
        var provider = providers.FirstOrDefault(p => p.Id == providerId) ?? providers.FirstOrDefault()
            ?? throw new LinearApiException("No Linear provider is configured, so there is no API key to close the Linear issue with.");
        return await ForProviderAsync(provider, ct);
    }
}
