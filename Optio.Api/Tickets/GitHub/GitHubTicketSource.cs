using System.Runtime.CompilerServices;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.GitHub;

/// <summary>A GitHub provider's repos, one scope each; an unchanged repo costs one 304.</summary>
public sealed class GitHubTicketSource(GitHubIssues issues, GitHubAccess access) : ITicketSource
{
    public string Source => TicketSource.GitHub;

    public async IAsyncEnumerable<ScopeFetch> FetchAsync(TicketProvider provider, [EnumeratorCancellation] CancellationToken ct)
    {
        var config = provider.GitHub!;
        var settings = await access.ForProviderAsync(provider, ct);
        foreach (var repo in config.Repos)
        {
            RepoIssuesResult result;
            try
            {
                result = await issues.FetchOpenIssuesAsync(settings, repo.Owner, repo.Name, config.Labels, config.Assignee, ct);
            }
            catch (GitHubRateLimitedException e)
            {
                throw new ProviderRateLimitedException(e.RetryAfter,
                    $"GitHub {(e.Secondary ? "secondary " : "")}rate limit while reading {repo}: retrying in {e.RetryAfter.TotalSeconds:0} s", e);
            }
            yield return new ScopeFetch(repo.ToString(), result.Modified ? [.. result.Tickets.Select(config.WithPriority)] : null, $"{repo}#",
                result.Modified ? () => issues.Forget(settings, repo.Owner, repo.Name) : null);
        }
    }
}
