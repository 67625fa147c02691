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
            new TicketRef("github", id, id, issue.HtmlUrl),
            issue.Title,
            issue.Body ?? "",
            RepoUrlOf(issue.HtmlUrl, owner, repo),
            new TicketMetadata(
                issue.Labels.Select(l => l.Name).ToList(),
                issue.Assignee?.Login ?? issue.Assignees?.FirstOrDefault()?.Login,
                Milestone: issue.Milestone?.Title),
            []);
    }

    // The issue's web host is the repository's: github.com, or a GitHub Enterprise host.
    static string? RepoUrlOf(string? issueHtmlUrl, string owner, string repo)
    {
        var site = Uri.TryCreate(issueHtmlUrl, UriKind.Absolute, out var url) ? url.GetLeftPart(UriPartial.Authority) : "https://github.com";
        return RepoUrl.TryNormalise($"{site}/{owner}/{repo}", out var normalised, out _) ? normalised : null;
    }
}
