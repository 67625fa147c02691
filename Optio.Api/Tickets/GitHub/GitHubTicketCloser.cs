using Marten;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.CloseBack;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.GitHub;

/// <summary>
/// Closes a GitHub issue after its task's PR merged: a comment with the PR link (unless the provider shows the task's
/// status, whose one comment says so already), then closed as completed.
/// </summary>
public sealed class GitHubTicketCloser(GitHubIssues issues, GitHubAccess access, IDocumentStore store) : ITicketCloser
{
    public string Source => TicketSource.GitHub;

    public async Task CloseAsync(TicketRef ticket, OptioTask task, CancellationToken ct)
    {
        var (owner, repo, number) = Parse(ticket.ExternalId);
        var settings = await access.ForRepoAsync(owner, repo, ct);
        var issue = await issues.GetIssueAsync(settings, owner, repo, number, ct)
            ?? throw new GitHubApiException($"Issue {ticket.ExternalId} no longer exists or is not visible to the token.");
        if (issue.State.Value == Octokit.ItemState.Closed) return;
        if (!await PublishesStatusAsync(task, ct))
            await issues.CommentAsync(settings, owner, repo, number,
                $"Optio finished this: {task.PrUrl ?? "the pull request"} was merged. (task `{task.Id}`)", ct);
        await issues.CloseIssueAsync(settings, owner, repo, number, ct);
    }

    async Task<bool> PublishesStatusAsync(OptioTask task, CancellationToken ct)
    {
        if (task.ProviderId is not { } id) return false;
        await using var query = store.QuerySession();
        return await query.LoadAsync<TicketProvider>(id, ct) is { Enabled: true, PublishesStatus: true };
    }

    /// <summary><c>owner/repo#42</c> → its parts.</summary>
    public static (string Owner, string Repo, int Number) Parse(string externalId)
    {
        var hash = externalId.LastIndexOf('#');
        var slash = externalId.IndexOf('/');
        return (externalId[..slash], externalId[(slash + 1)..hash], int.Parse(externalId[(hash + 1)..]));
    }
}
