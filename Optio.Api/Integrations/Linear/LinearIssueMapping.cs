using Optio.Domain.Repos;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.Linear;

static class LinearIssueMapping
{
    public static IncomingTicket ToIncomingTicket(LinearIssue issue, Uri gitHubWeb)
    {
        if (!Guid.TryParse(issue.Id, out var id))
            throw new LinearApiException($"Linear issue {issue.Identifier} has an id that is not a UUID: '{issue.Id}'.");

        var links = issue.Attachments.Nodes.Select(a => GitHubUrl.IssueOn(gitHubWeb, a.Url)).OfType<GitHubUrl>().ToList();
        var repoUrl = links.FirstOrDefault()?.RepoUrl;
        var assignee = issue.Assignee is { } user ? (string.IsNullOrWhiteSpace(user.Name) ? user.Email : user.Name) : null;

        return new IncomingTicket(
            new TicketRef(TicketSource.Linear, id.ToString("D"), issue.Identifier, issue.Url),
            issue.Title,
            issue.Description ?? "",
            repoUrl,
            new TicketMetadata(
                [.. issue.Labels.Nodes.Select(l => l.Name)],
                assignee,
                (int)Math.Round(issue.Priority),
                issue.Team.Key,
                issue.Project?.Name),
            [.. links.Select(l => TicketKey.GitHub(l.Owner, l.Name, l.Number)).Distinct()])
        {
            BlockedBy = issue.InverseRelations is { } relations ? Blockers(relations.Nodes) : null,
        };
    }

    /// <summary>Issues that block this one (relation type <c>blocks</c>) and are neither completed nor canceled.</summary>
    static List<TicketBlocker> Blockers(IEnumerable<LinearRelation> relations) =>
    [
        .. relations
            .Where(r => r.Type == "blocks" && r.Issue.State.Type is not ("completed" or "canceled") && Guid.TryParse(r.Issue.Id, out _))
            .Select(r => new TicketBlocker(TicketKey.Linear(Guid.Parse(r.Issue.Id)).Value, r.Issue.Identifier, r.Issue.Url)),
    ];
}
