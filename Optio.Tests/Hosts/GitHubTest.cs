using Microsoft.Extensions.Time.Testing;
using Optio.Tests.Fakes;
using Optio.Api.Integrations.GitHub;

namespace Optio.Tests.Hosts;

/// <summary>A fresh fake GitHub and a fresh <see cref="GitHubIssues"/> (so empty caches) for every test.</summary>
public abstract class GitHubTest : IAsyncLifetime
{
    protected FakeGitHub GitHub { get; private set; } = null!;
    protected FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(1_767_000_000));
    protected GitHubIssues Issues { get; private set; } = null!;
    protected GitHubSettings Settings => new(GitHub.ApiUrl, FakeGitHub.Token);

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        Issues = new GitHubIssues(Clock);
    }

    public async Task DisposeAsync() => await GitHub.DisposeAsync();

    protected Task<RepoIssuesResult> FetchAsync(string owner, string repo, string[] labels, string? assignee = null) =>
        Issues.FetchOpenIssuesAsync(Settings, owner, repo, labels, assignee, CancellationToken.None);
}
