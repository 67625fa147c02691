using Marten;
using Microsoft.Extensions.Options;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.GitHub;

/// <summary>
/// Which GitHub API and token to use for a repository: those of the provider watching it (its
/// <c>apiUrl</c> and token secret), else <c>Optio:GitHub:ApiUrl</c> (default api.github.com) with
/// the <c>GITHUB_TOKEN</c> secret.
/// </summary>
public sealed class GitHubAccess(IDocumentStore store, SecretStore secrets, IOptions<GitHubOptions> options)
{
    public Uri DefaultApiUrl { get; } = options.Value.DefaultApiUrl;

    public async Task<GitHubSettings> ForProviderAsync(TicketProvider provider, CancellationToken ct) =>
        await SettingsAsync(provider.ApiUrl is { } api ? new Uri(api) : DefaultApiUrl, provider.GitHub?.TokenSecret ?? SecretStore.GitHubToken, ct);

    public async Task<GitHubSettings> ForRepoAsync(string owner, string repo, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var providers = await query.Query<TicketProvider>().Where(x => x.Source == TicketSource.GitHub).ToListAsync(ct);
        var watching = providers.FirstOrDefault(p => p.GitHub!.Repos.Any(r => r.Owner == owner.ToLowerInvariant() && r.Name == repo.ToLowerInvariant()));
        return watching is not null ? await ForProviderAsync(watching, ct) : await SettingsAsync(DefaultApiUrl, SecretStore.GitHubToken, ct);
    }

    async Task<GitHubSettings> SettingsAsync(Uri apiUrl, string tokenSecret, CancellationToken ct)
    {
        var token = await secrets.GetAsync(tokenSecret, ct) ?? throw new GitHubTokenMissingException(tokenSecret);
        return new GitHubSettings(apiUrl, token);
    }
}
