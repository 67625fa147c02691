using System.Text.Json;
using Marten;
using Optio.Api.PullRequests;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;
using Optio.Domain.PullRequests;
using Optio.Domain.Repos;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;
using Optio.Projections.TaskList;
using Optio.Projections.TicketIndex;
using Wolverine;

namespace Optio.Api.Webhooks.GitHubInbound;

/// <summary>
/// What a GitHub delivery means: a watched label added syncs the provider now; an issue edited,
/// closed or unlabelled follows the same upstream rules as sync; a pull request is linked to its
/// task (branch <c>optio/&lt;taskId&gt;</c> or a closing keyword) and its merge or close applied;
/// reviews and CI results make Optio read the PR again. Every decision is idempotent, so a
/// redelivery, or the poller seeing the same change, appends nothing twice.
/// </summary>
public static class ProcessGitHubDeliveryHandler
{
    public static async Task Handle(ProcessGitHubDelivery command, IDocumentStore store, TaskWriter writer, IMessageBus bus,
        TimeProvider clock, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<GitHubDelivery>(command.DeliveryId, ct) is not { ProcessedAt: null } delivery) return;

        using var json = JsonDocument.Parse(delivery.Payload);
        var root = json.RootElement;
        var (owner, repo) = Repository(root);
        var repoUrl = RepositoryWebUrl(root, owner, repo);
        switch (delivery.Event)
        {
            case "issues":
                await IssueChangedAsync(session, writer, bus, delivery.Action, root, owner, repo, ct);
                break;
            case "pull_request":
                await PullRequestChangedAsync(session, writer, bus, delivery.Action, root.GetProperty("pull_request"), repoUrl, owner, repo, ct);
                break;
            case "pull_request_review":
                await PollTasksOfAsync(session, bus, [PrUrl(repoUrl, root.GetProperty("pull_request"))], ct);
                break;
            case "check_suite" or "check_run" when delivery.Action == "completed":
                var suite = root.TryGetProperty("check_suite", out var cs) ? cs : root.GetProperty("check_run").GetProperty("check_suite");
                var urls = suite.GetProperty("pull_requests").EnumerateArray().Select(p => PrUrl(repoUrl, p)).ToList();
                await PollTasksOfAsync(session, bus, urls, ct);
                break;
        }
        delivery.ProcessedAt = clock.GetUtcNow();
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }

    static async Task IssueChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, string? action, JsonElement root,
        string owner, string repo, CancellationToken ct)
    {
        var issue = root.GetProperty("issue");
        var key = TicketKey.GitHub(owner, repo, issue.GetProperty("number").GetInt32());
        var labels = issue.GetProperty("labels").EnumerateArray().Select(l => l.GetProperty("name").GetString()!).ToList();
        var watching = (await session.Query<TicketProvider>().Where(x => x.Source == "github" && x.Enabled).ToListAsync(ct))
            .Where(p => p.GitHub!.Repos.Any(r => r.Owner == owner && r.Name == repo)).ToList();

        if (action == "labeled" && root.TryGetProperty("label", out var added))
        {
            var name = added.GetProperty("name").GetString();
            foreach (var provider in watching.Where(p => p.GitHub!.Labels.Contains(name, StringComparer.OrdinalIgnoreCase)))
                await bus.SendAsync(new SyncProvider(provider.Id, "GitHub issue labelled"));
            return;
        }
        if (await session.LoadAsync<TicketAlias>(key.Value, ct) is not { } alias) return;
        switch (action)
        {
            case "edited":
                var row = await session.LoadAsync<TaskSummary>(alias.TaskId, ct);
                if (row?.Task.Ticket?.Key.Value != key.Value) return;
                await writer.DecideAsync(alias.TaskId, null,
                    t => t.FollowTicketEdit(issue.GetProperty("title").GetString() ?? t.Title, issue.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()! : ""), ct);
                break;
            case "closed":
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn("ticket closed upstream"), ct);
                break;
            case "unlabeled" when watching.Count > 0 && !watching.Any(p => p.GitHub!.Labels.Any(l => labels.Contains(l, StringComparer.OrdinalIgnoreCase))):
                await writer.DecideAsync(alias.TaskId, null, t => t.FollowTicketWithdrawn("label removed upstream"), ct);
                break;
        }
    }

    static async Task PullRequestChangedAsync(IDocumentSession session, TaskWriter writer, IMessageBus bus, string? action, JsonElement pr,
        string repoUrl, string owner, string repo, CancellationToken ct)
    {
        var url = PrUrl(repoUrl, pr);
        var body = pr.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        var seen = new SeenPullRequest(url, owner, repo, pr.GetProperty("head").GetProperty("ref").GetString() ?? "", body);
        if (await PullRequestOwner.TaskOfAsync(session, seen, ct) is not { } taskId) return;

        await writer.DecideAsync(taskId, null, t => t.LinkFoundPr(url), ct);

        var merged = pr.TryGetProperty("merged", out var m) && m.ValueKind == JsonValueKind.True;
        var open = pr.GetProperty("state").GetString() == "open";
        if (action == "closed" || !open)
            await writer.DecideAsync(taskId, null, t => t.Observe(new PrObservation(url, Open: false, merged)), ct);
        else if (action is "reopened" or "synchronize")
            await bus.SendAsync(new PollPullRequest(taskId));
    }

    static async Task PollTasksOfAsync(IDocumentSession session, IMessageBus bus, IReadOnlyList<string> prUrls, CancellationToken ct)
    {
        if (prUrls.Count == 0) return;
        var tasks = await session.Query<TaskSummary>().Where(x => x.Task.PrUrl.IsOneOf(prUrls.ToArray())).Select(x => x.Id).ToListAsync(ct);
        foreach (var id in tasks) await bus.SendAsync(new PollPullRequest(id));
    }

    static (string Owner, string Repo) Repository(JsonElement root)
    {
        var fullName = root.GetProperty("repository").GetProperty("full_name").GetString()!.ToLowerInvariant();
        var slash = fullName.IndexOf('/');
        return (fullName[..slash], fullName[(slash + 1)..]);
    }

    // The repository's html_url carries the web host: github.com, or a GitHub Enterprise host.
    static string RepositoryWebUrl(JsonElement root, string owner, string repo) =>
        root.GetProperty("repository").TryGetProperty("html_url", out var html) && html.ValueKind == JsonValueKind.String
        && RepoUrl.TryNormalise(html.GetString(), out var normalised, out _)
            ? normalised
            : $"https://github.com/{owner}/{repo}";

    static string PrUrl(string repoUrl, JsonElement pr) => new PullRequestUrl(repoUrl, pr.GetProperty("number").GetInt32()).ToString();
}
