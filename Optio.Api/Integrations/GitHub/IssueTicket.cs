using Octokit;
using Optio.Domain.Repos;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.GitHub;

/// <summary>A GitHub issue as Optio imports it.</summary>
static class IssueTicket
{
    public static IncomingTicket From(string owner, string repo, Issue issue)
    {
        var id = $"{owner.ToLowerInvariant()}/{repo.ToLowerInvariant()}#{issue.Number}";
        return new IncomingTicket(
            new TicketRef(TicketSource.GitHub, id, id, issue.HtmlUrl),
            issue.Title,
            issue.Body ?? "",
            GitHubUrl.Repo(owner, repo, pageOnSameHost: issue.HtmlUrl)?.RepoUrl,
            new TicketMetadata(
                // Optio's own state labels say where the task is, not what the ticket asks: they are not followed as edits.
                issue.Labels.Select(l => l.Name).Where(n => !TicketStatus.LabelColours.ContainsKey(n)).ToList(),
                issue.Assignee?.Login ?? issue.Assignees?.FirstOrDefault()?.Login,
                Milestone: issue.Milestone?.Title),
            []);
    }
}
