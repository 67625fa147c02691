using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Optio.Tests.Fakes;

/// <summary>
/// GitHub's issue dependencies: an issue lists its blockers at <c>…/dependencies/blocked_by</c> and counts them in its
/// <c>issue_dependencies_summary</c>. The fixtures carry no such field, so its shape is GitHub's documented one:
/// <c>blocked_by</c> counts open blockers, <c>total_blocked_by</c> all of them (and the same for <c>blocking</c>).
/// </summary>
public sealed partial class FakeGitHub
{
    public static class DependencyRoutes
    {
        public const string ListBlockedBy = "list blocked by";
    }

    /// <summary>Makes issue <paramref name="number"/> blocked by <paramref name="blockerNumber"/> (of <paramref name="blockerRepo"/>, or the same repo).</summary>
    public void Block(string owner, string repo, int number, int blockerNumber, string? blockerOwner = null, string? blockerRepo = null)
    {
        lock (gate)
        {
            var blocker = Repo(blockerOwner ?? owner, blockerRepo ?? repo)!;
            Repo(owner, repo)!.Issues.Single(i => i.Number == number).BlockedBy.Add((blocker, blocker.Issues.Single(i => i.Number == blockerNumber)));
        }
    }

    void MapDependencies() =>
        app.MapGet("/repos/{owner}/{repo}/issues/{number:int}/dependencies/blocked_by", ListBlockedBy).WithName(DependencyRoutes.ListBlockedBy);

    Task ListBlockedBy(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        string? link;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            var perPage = Math.Clamp(int.TryParse(ctx.Request.Query["per_page"], out var pp) ? pp : 30, 1, 100);
            var page = Math.Max(1, int.TryParse(ctx.Request.Query["page"], out var p) ? p : 1);
            json = new JsonArray([.. issue.BlockedBy.Skip((page - 1) * perPage).Take(perPage).Select(b => IssueJson(b.Repo, b.Issue))]).ToJsonString();
            link = Link(ctx, page, Math.Max(1, (issue.BlockedBy.Count + perPage - 1) / perPage));
        }
        if (link is not null) ctx.Response.Headers.Link = link;
        return Write(ctx, 200, json);
    }

    JsonObject DependenciesSummary(FakeIssue issue)
    {
        var blocking = repos.Values.SelectMany(r => r.Issues).Where(i => i.BlockedBy.Any(b => b.Issue == issue)).ToList();
        return new JsonObject
        {
            ["blocked_by"] = issue.BlockedBy.Count(b => b.Issue.State == "open"),
            ["total_blocked_by"] = issue.BlockedBy.Count,
            ["blocking"] = blocking.Count(i => i.State == "open"),
            ["total_blocking"] = blocking.Count,
        };
    }
}
