using Octokit;

namespace Optio.Api.Integrations.GitHub;

// One comment edited in place and state labels swapped: what showing a task's status on its issue takes.
public sealed partial class GitHubIssues
{
    /// <summary>
    /// Edits the comment (<c>PATCH /repos/{o}/{r}/issues/comments/{id}</c>); when there is none yet, or someone deleted it
    /// (404), creates one. Returns the id of the comment that now holds <paramref name="body"/>.
    /// </summary>
    public async Task<long> UpsertCommentAsync(GitHubSettings s, string owner, string repo, int number, long? commentId, string body, CancellationToken ct)
    {
        var client = Client(s);
        if (commentId is { } id)
        {
            var edited = await GitHubErrors.Guard($"comment {id} on {IssueName(owner, repo, number)}", clock, ct, async () =>
            {
                try
                {
                    return (long?)(await client.Issue.Comment.Update(owner, repo, id, body).WaitAsync(ct)).Id;
                }
                catch (NotFoundException)
                {
                    return null;
                }
            });
            if (edited is { } same) return same;
        }
        var created = await GitHubErrors.Guard(IssueName(owner, repo, number), clock, ct,
            () => client.Issue.Comment.Create(owner, repo, number, body).WaitAsync(ct));
        return created.Id;
    }

    /// <summary>Takes <paramref name="label"/> off the issue; a label already gone is fine.</summary>
    public Task RemoveLabelFromIssueAsync(GitHubSettings s, string owner, string repo, int number, string label, CancellationToken ct)
    {
        var client = Client(s);
        return GitHubErrors.Guard(IssueName(owner, repo, number), clock, ct, async () =>
        {
            try
            {
                await client.Issue.Labels.RemoveFromIssue(owner, repo, number, label).WaitAsync(ct);
            }
            catch (NotFoundException)
            {
                // Someone removed it already.
            }
            return true;
        });
    }
}
