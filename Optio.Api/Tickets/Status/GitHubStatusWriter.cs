using Optio.Api.Integrations.GitHub;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Providers;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.Status;

/// <summary>
/// GitHub: the state label first (the one Optio put there before removed, the new one created in its fixed colour if the
/// repository lacks it, then added), then the one status comment, edited in place or written again if someone deleted it.
/// Labels first, so a retry after a failure never leaves a second comment behind.
/// </summary>
public sealed class GitHubStatusWriter(GitHubIssues issues, GitHubAccess access) : ITicketStatusWriter
{
    public string Source => TicketSource.GitHub;

    public async Task<TicketStatusPublished> PublishAsync(TicketProvider provider, TicketRef ticket, TicketStatus status,
        TicketStatusPublished? previous, Guid taskId, CancellationToken ct)
    {
        var (owner, repo, number) = GitHubTicketCloser.Parse(ticket.ExternalId);
        var settings = await access.ForProviderAsync(provider, ct);
        if (previous?.Label is { } old && old != status.Label)
            await issues.RemoveLabelFromIssueAsync(settings, owner, repo, number, old, ct);
        if (status.Label is { } label)
            await issues.EnsureLabelOnIssueAsync(settings, owner, repo, number, label, TicketStatus.LabelColours[label], ct);
        long? commentId = long.TryParse(previous?.CommentId, out var id) ? id : null;
        var comment = await issues.UpsertCommentAsync(settings, owner, repo, number, commentId, TicketStatusText.Markdown(status, taskId), ct);
        return new TicketStatusPublished(ticket, status.State, status.Detail, comment.ToString(System.Globalization.CultureInfo.InvariantCulture), status.Label);
    }
}
