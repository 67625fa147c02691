using Octokit;
using Octokit.Internal;
using Optio.Runner.Git;

namespace Optio.Runner.PullRequests;

/// <summary>Opens the pull request for a pushed task branch through GitHub's API (Octokit), as the service reaches GitHub.</summary>
internal sealed class PullRequestOpener(RunnerSettings settings)
{
    readonly GitHubClient? client = settings.GitHubToken is { } token
        ? new GitHubClient(new Connection(new ProductHeaderValue("optio-runner"), settings.GitHubApi, new InMemoryCredentialStore(new Credentials(token))))
        : null;

    /// <summary>The pull request's URL; one already open for the branch (an earlier attempt's) is reused.</summary>
    public async Task<string> OpenAsync(ClaimedTask task, WorkingCopy copy)
    {
        if (client is null)
            throw new StepFailed($"GITHUB_TOKEN is not set, so no pull request can be opened for the pushed branch {copy.Branch}");
        var (owner, name) = (copy.Repo.Owner, copy.Repo.Name);
        try
        {
            var pr = await client.PullRequest.Create(owner, name,
                new NewPullRequest(PullRequestText.Title(task), copy.Branch, copy.DefaultBranch) { Body = PullRequestText.Body(task, copy.Repo, settings.RunnerId) });
            return pr.HtmlUrl;
        }
        catch (ApiValidationException e) when (e.ApiError?.Errors?.Any(x => x.Message?.Contains("already exists", StringComparison.OrdinalIgnoreCase) == true) == true
                                               || e.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            var open = await client.PullRequest.GetAllForRepository(owner, name,
                new PullRequestRequest { Head = $"{owner}:{copy.Branch}", State = ItemStateFilter.Open });
            return open.FirstOrDefault()?.HtmlUrl ?? throw new StepFailed($"GitHub says a pull request for {copy.Branch} exists, but lists none open");
        }
        catch (ApiException e)
        {
            throw new StepFailed($"GitHub refused to open the pull request ({(int)e.StatusCode}): {e.Message}");
        }
    }
}
