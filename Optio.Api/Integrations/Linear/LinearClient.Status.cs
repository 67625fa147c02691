namespace Optio.Api.Integrations.Linear;

// Showing a task's status on its Linear issue: moved to started when work starts, one comment kept current.
public sealed partial class LinearClient
{
    sealed record CommentCreateData(CommentPayload CommentCreate);
    sealed record CommentUpdateData(CommentPayload CommentUpdate);
    sealed record CommentPayload(bool Success, CommentRef Comment);
    sealed record CommentRef(string Id);

    /// <summary>
    /// Moves the issue to its team's first <c>started</c> state (lowest position), unless it already is in a started or
    /// later (completed, canceled) state. True when it moved.
    /// </summary>
    public async Task<bool> StartIssueAsync(LinearSettings settings, Guid issueId, CancellationToken ct)
    {
        var issue = (await SendAsync<IssueWorkflowData>(settings, LinearQueries.IssueStartedStates, new { id = issueId.ToString("D") }, ct)).Issue;
        if (issue.State.Type.ToLowerInvariant() is "started" or "completed" or "canceled") return false;
        var started = issue.Team.States.Nodes.Where(s => s.Type.Equals("started", StringComparison.OrdinalIgnoreCase)).MinBy(s => s.Position)
            ?? throw new LinearApiException($"Linear team {issue.Team.Key} has no workflow state of type 'started' to move {issue.Identifier} to.");
        var update = (await SendAsync<CompleteIssueData>(settings, LinearQueries.CompleteIssue, new { id = issue.Id, stateId = started.Id }, ct)).IssueUpdate;
        if (!update.Success)
            throw new LinearApiException($"Linear did not move {issue.Identifier} to '{started.Name}' (issueUpdate reported no success).");
        return true;
    }

    /// <summary>
    /// Updates the comment (<c>commentUpdate</c>); when there is none yet, or Linear no longer has it, creates one on the
    /// issue (<c>commentCreate</c>). Returns the id of the comment that now holds <paramref name="body"/>.
    /// </summary>
    public async Task<string> UpsertCommentAsync(LinearSettings settings, Guid issueId, string? commentId, string body, CancellationToken ct)
    {
        if (commentId is not null)
        {
            try
            {
                var updated = (await SendAsync<CommentUpdateData>(settings, LinearQueries.UpdateComment, new { id = commentId, body }, ct)).CommentUpdate;
                if (updated.Success) return updated.Comment.Id;
            }
            catch (LinearApiException e) when (e is not LinearRateLimitedException && e.Message.Contains("not found", StringComparison.OrdinalIgnoreCase))
            {
                // Deleted by someone: write it again below.
            }
        }
        var created = (await SendAsync<CommentCreateData>(settings, LinearQueries.CreateComment, new { issueId = issueId.ToString("D"), body }, ct)).CommentCreate;
        return created.Success ? created.Comment.Id : throw new LinearApiException($"Linear did not create the status comment on issue {issueId} (commentCreate reported no success).");
    }
}
