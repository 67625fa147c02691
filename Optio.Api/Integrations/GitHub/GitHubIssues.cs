using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;
using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.GitHub;

/// <summary>Reads a repository's labelled open issues as tickets, and comments, labels and closes issues.</summary>
public sealed partial class GitHubIssues(TimeProvider clock, IOptions<GitHubOptions>? options = null, PolledResponseCache? responses = null)
{
    const int PageSize = 100;
    // Octokit waits 100 s by default: a stuck GitHub would hold a provider's sync for that long per request.
    readonly TimeSpan timeout = options?.Value.Timeout ?? new GitHubOptions().Timeout;
    static readonly ProductHeaderValue Product = new("Optio");

    readonly ConcurrentDictionary<(string ApiUrl, string Token), GitHubClient> clients = new();
    readonly PolledResponseCache cache = responses ?? new(PolledResponseCache.DefaultCapacity);

    // Per query (repo, labels, assignee, token): the ETag of the first page when its tickets were last returned.
    // Queries share cached pages, but each must see a change once, so "not modified" is judged per query.
    readonly ConcurrentDictionary<string, string> returned = new();

    /// <summary>
    /// The open issues (not pull requests) carrying any of <paramref name="labels"/>, optionally only those assigned to
    /// <paramref name="assignee"/>; <see cref="RepoIssuesResult.NotModified"/> when the repository is unchanged since
    /// this same query last returned them, which costs one conditional request and no rate limit.
    /// </summary>
    public Task<RepoIssuesResult> FetchOpenIssuesAsync(GitHubSettings s, string owner, string repo,
        IReadOnlyList<string> labels, string? assignee, CancellationToken ct)
    {
        if (labels.Count == 0)
            throw new ArgumentException("Name at least one label: Optio imports only issues labelled for it.", nameof(labels));
        var wanted = labels.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var query = QueryKey(s, owner, repo, wanted, assignee);
        // GitHub's labels= means all of them, so labels are filtered here; sorting by update puts any edit on page 1.
        var parameters = new Dictionary<string, string>
        {
            ["state"] = "open",
            ["sort"] = "updated",
            ["direction"] = "desc",
            ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrWhiteSpace(assignee)) parameters["assignee"] = assignee.Trim();

        var connection = Client(s).Connection;
        return GitHubErrors.Guard($"repository {owner}/{repo}", clock, ct, async () =>
        {
            var page = await connection.Get<List<Issue>>(ApiUrls.Issues(owner, repo), parameters, null!, ct);
            var etag = page.HttpResponse.ApiInfo.Etag;
            if (!string.IsNullOrEmpty(etag) && returned.TryGetValue(query, out var seen) && seen == etag)
                return RepoIssuesResult.NotModified;

            var tickets = new List<IncomingTicket>();
            while (true)
            {
                // A blocker closing changes its dependents' summaries, so their page (and its ETag) changes too.
                var summaries = IssueDependencies.Summaries(page.HttpResponse);
                foreach (var issue in page.Body.Where(i => i.PullRequest is null && i.Labels.Any(l => wanted.Contains(l.Name))))
                    tickets.Add(IssueTicket.From(owner, repo, issue) with
                    {
                        BlockedBy = await IssueDependencies.OpenBlockersAsync(connection, owner, repo, issue.Number, summaries.GetValueOrDefault(issue.Number), ct),
                    });
                if (page.HttpResponse.ApiInfo.GetNextPageUrl() is not { } next) break;
                page = await connection.Get<List<Issue>>(next, null!, null!, ct);
            }
            if (!string.IsNullOrEmpty(etag)) returned[query] = etag;
            // An issue edited during the walk moves up a page and can be seen twice.
            return RepoIssuesResult.Changed(tickets.DistinctBy(t => t.Ticket.ExternalId).ToList());
        });
    }

    /// <summary>The repository's open issues (pull requests left out), newest activity first, at most <paramref name="maxPages"/> pages of 100.</summary>
    public Task<IReadOnlyList<Issue>> ListOpenIssuesAsync(GitHubSettings s, string owner, string repo, int maxPages, CancellationToken ct)
    {
        var parameters = new Dictionary<string, string>
        {
            ["state"] = "open", ["sort"] = "updated", ["direction"] = "desc", ["per_page"] = PageSize.ToString(CultureInfo.InvariantCulture),
        };
        var connection = Client(s).Connection;
        return GitHubErrors.Guard($"repository {owner}/{repo}", clock, ct, async () =>
        {
            var issues = new List<Issue>();
            var page = await connection.Get<List<Issue>>(ApiUrls.Issues(owner, repo), parameters, null!, ct);
            for (var pages = 1; ; pages++)
            {
                issues.AddRange(page.Body.Where(i => i.PullRequest is null));
                if (pages >= maxPages || page.HttpResponse.ApiInfo.GetNextPageUrl() is not { } next) break;
                page = await connection.Get<List<Issue>>(next, null!, null!, ct);
            }
            return (IReadOnlyList<Issue>)issues.DistinctBy(i => i.Number).ToList();
        });
    }

    /// <summary>
    /// Makes the next fetch of this repository return its tickets even if unchanged: call it when the tickets of a
    /// changed result could not be imported, or they would wait for the next change.
    /// </summary>
    public void Forget(GitHubSettings s, string owner, string repo)
    {
        var prefix = QueryPrefix(s, owner, repo);
        foreach (var key in returned.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            returned.TryRemove(key, out _);
    }

    /// <summary>The issue (or pull request) with that number; null when it does not exist or the token cannot see it.</summary>
    public Task<Issue?> GetIssueAsync(GitHubSettings s, string owner, string repo, int number, CancellationToken ct)
    {
        var client = Client(s);
        return GitHubErrors.Guard(IssueName(owner, repo, number), clock, ct, async () =>
        {
            try
            {
                return await client.Issue.Get(owner, repo, number).WaitAsync(ct);
            }
            catch (NotFoundException)
            {
                return (Issue?)null;
            }
        });
    }

    public Task CommentAsync(GitHubSettings s, string owner, string repo, int number, string body, CancellationToken ct)
    {
        var client = Client(s);
        return GitHubErrors.Guard(IssueName(owner, repo, number), clock, ct,
            () => client.Issue.Comment.Create(owner, repo, number, body).WaitAsync(ct));
    }

    /// <summary>Closes the issue as completed, keeping its milestone, assignees and labels; an already closed issue is left alone.</summary>
    public async Task CloseIssueAsync(GitHubSettings s, string owner, string repo, int number, CancellationToken ct)
    {
        var name = IssueName(owner, repo, number);
        var issue = await GetIssueAsync(s, owner, repo, number, ct)
            ?? throw new GitHubApiException($"{name} not found or not visible to the token (404)", 404);
        if (issue.State.StringValue == "closed") return;

        // IssueUpdate always sends its milestone: a fresh one would send null and clear it, so start from the issue.
        var update = issue.ToUpdate();
        update.State = ItemState.Closed;
        update.StateReason = ItemStateReason.Completed;
        var client = Client(s);
        await GitHubErrors.Guard(name, clock, ct, () => client.Issue.Update(owner, repo, number, update).WaitAsync(ct));
    }

    /// <summary>Puts <paramref name="label"/> on the issue, creating it first in <paramref name="color"/> (hex, e.g. 8250df) if the repository lacks it.</summary>
    public async Task EnsureLabelOnIssueAsync(GitHubSettings s, string owner, string repo, int number, string label, string color, CancellationToken ct)
    {
        var client = Client(s);
        // Adding a label the repository lacks would silently create it grey.
        await GitHubErrors.Guard($"label '{label}' of repository {owner}/{repo}", clock, ct, async () =>
        {
            try
            {
                return await client.Issue.Labels.Get(owner, repo, label).WaitAsync(ct);
            }
            catch (NotFoundException)
            {
                try
                {
                    return await client.Issue.Labels.Create(owner, repo, new NewLabel(label, color.TrimStart('#'))).WaitAsync(ct);
                }
                catch (ApiValidationException e) when (e.ApiError?.Errors?.Any(x => x.Code == "already_exists") == true)
                {
                    return null; // created meanwhile by someone else
                }
            }
        });
        await GitHubErrors.Guard(IssueName(owner, repo, number), clock, ct,
            () => client.Issue.Labels.AddToIssue(owner, repo, number, [label]).WaitAsync(ct));
    }

    /// <summary>One client per API and token, sharing the conditional-request cache.</summary>
    internal GitHubClient Client(GitHubSettings s)
    {
        var apiUrl = s.ApiUrl.AbsoluteUri.EndsWith('/') ? s.ApiUrl.AbsoluteUri : s.ApiUrl.AbsoluteUri + "/";
        return clients.GetOrAdd((apiUrl, s.Token), key =>
        {
            var connection = new Connection(Product, new Uri(key.ApiUrl), new InMemoryCredentialStore(new Credentials(key.Token)));
            connection.SetRequestTimeout(timeout);
            return new GitHubClient(connection) { ResponseCache = cache };
        });
    }

    static string IssueName(string owner, string repo, int number) => $"issue {owner}/{repo}#{number}";

    static string QueryPrefix(GitHubSettings s, string owner, string repo) =>
        $"{s.ApiUrl.AbsoluteUri.TrimEnd('/')} {Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(s.Token)))} {owner.ToLowerInvariant()}/{repo.ToLowerInvariant()} ";

    static string QueryKey(GitHubSettings s, string owner, string repo, IEnumerable<string> labels, string? assignee) =>
        QueryPrefix(s, owner, repo)
        + $"{assignee?.Trim().ToLowerInvariant()} {string.Join('\n', labels.Select(l => l.ToLowerInvariant()).Order(StringComparer.Ordinal))}";
}
