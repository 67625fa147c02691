using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Optio.Tests.Fakes;

/// <summary>
/// GitHub's REST API, the part Optio calls, on a real loopback HTTP server so the real Octokit client talks to it.
/// Keeps repos, issues, labels and comments in memory, answers with GitHub's payload shapes, paginates with
/// <c>Link</c> headers, honours ETags, records every request and can be told to fail the next ones.
/// </summary>
public sealed partial class FakeGitHub : IAsyncDisposable
{
    public const string Token = "ghp_FakeTokenForOptioTests0123456789abcd";

    /// <summary>Names under which requests are counted and recorded.</summary>
    public static class Routes
    {
        public const string ListIssues = "list issues";
        public const string GetIssue = "get issue";
        public const string UpdateIssue = "update issue";
        public const string CreateComment = "create comment";
        public const string ListLabels = "list labels";
        public const string GetLabel = "get label";
        public const string CreateLabel = "create label";
        public const string AddLabelsToIssue = "add labels to issue";
        public const string Unmatched = "unmatched";
    }

    readonly WebApplication app;
    readonly Lock gate = new();
    readonly Dictionary<string, FakeRepo> repos = new(StringComparer.OrdinalIgnoreCase);
    readonly List<(FakeGitHubFault Fault, Func<RecordedRequest, bool> Applies)> faults = [];
    readonly List<RecordedRequest> requests = [];
    DateTimeOffset clock = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);
    long nextId = 4_000_000;

    FakeGitHub(WebApplication app) => this.app = app;

    /// <summary>The API base, e.g. <c>http://127.0.0.1:41234/</c>; issue html_urls use the same host.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var fake = new FakeGitHub(builder.Build());
        fake.Map();
        await fake.app.StartAsync();
        fake.ApiUrl = new Uri(fake.app.Urls.Single().TrimEnd('/') + "/");
        return fake;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();

    // ---- arranging and inspecting state -------------------------------------------------------------

    public FakeRepo AddRepo(string owner, string name)
    {
        lock (gate)
        {
            var repo = new FakeRepo(owner, name, ++nextId);
            repos[$"{owner}/{name}"] = repo;
            return repo;
        }
    }

    public void AddLabel(string owner, string repo, string name, string color)
    {
        lock (gate) Repo(owner, repo)!.Labels.Add(new FakeLabel(++nextId, name, color));
    }

    public void AddMilestone(string owner, string repo, int number, string title)
    {
        lock (gate) Repo(owner, repo)!.Milestones[number] = title;
    }

    /// <summary>A new issue (or pull request) numbered after the existing ones, updated now; unknown labels are created grey.</summary>
    public FakeIssue AddIssue(string owner, string repo, string title, string? body = null, string[]? labels = null,
        string? assignee = null, int? milestone = null, bool pullRequest = false)
    {
        lock (gate)
        {
            var r = Repo(owner, repo)!;
            var issue = new FakeIssue
            {
                Id = ++nextId,
                Number = r.Issues.Count + 1,
                Title = title,
                Body = body,
                Assignees = assignee is null ? [] : [assignee],
                Milestone = milestone,
                IsPullRequest = pullRequest,
                CreatedAt = Tick(),
            };
            issue.UpdatedAt = issue.CreatedAt;
            foreach (var label in labels ?? []) issue.Labels.Add(EnsureLabel(r, label).Name);
            r.Issues.Add(issue);
            return issue;
        }
    }

    /// <summary>Changes an issue as a person would on github.com: its updated_at moves on.</summary>
    public void Edit(string owner, string repo, int number, Action<FakeIssue> change)
    {
        lock (gate)
        {
            var issue = Repo(owner, repo)!.Issues.Single(i => i.Number == number);
            change(issue);
            issue.UpdatedAt = Tick();
        }
    }

    public FakeIssue Issue(string owner, string repo, int number)
    {
        lock (gate) return Repo(owner, repo)!.Issues.Single(i => i.Number == number);
    }

    public FakeLabel? Label(string owner, string repo, string name)
    {
        lock (gate) return Repo(owner, repo)!.Labels.FirstOrDefault(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Answers the next <paramref name="count"/> requests (those <paramref name="matching"/>, or any) with <paramref name="fault"/>.</summary>
    public void FailNext(int count, FakeGitHubFault fault, Func<RecordedRequest, bool>? matching = null)
    {
        lock (gate)
            for (var i = 0; i < count; i++) faults.Add((fault, matching ?? (_ => true)));
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (gate) return requests.ToList(); }
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string route) => Requests.Where(r => r.Route == route).ToList();

    public int Count(string route) => RequestsTo(route).Count;

    public void ClearRequests()
    {
        lock (gate) requests.Clear();
    }

    // ---- the HTTP side ------------------------------------------------------------------------------

    void Map()
    {
        app.UseRouting();
        app.Use(Record);
        app.MapGet("/repos/{owner}/{repo}/issues", ListIssues).WithName(Routes.ListIssues);
        app.MapGet("/repos/{owner}/{repo}/issues/{number:int}", GetIssue).WithName(Routes.GetIssue);
        app.MapPatch("/repos/{owner}/{repo}/issues/{number:int}", UpdateIssue).WithName(Routes.UpdateIssue);
        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/comments", CreateComment).WithName(Routes.CreateComment);
        app.MapGet("/repos/{owner}/{repo}/labels", ListLabels).WithName(Routes.ListLabels);
        app.MapGet("/repos/{owner}/{repo}/labels/{name}", GetLabel).WithName(Routes.GetLabel);
        app.MapPost("/repos/{owner}/{repo}/labels", CreateLabel).WithName(Routes.CreateLabel);
        app.MapPost("/repos/{owner}/{repo}/issues/{number:int}/labels", AddLabelsToIssue).WithName(Routes.AddLabelsToIssue);
        MapPullRequests();
        MapStatusRoutes();
        MapDependencies();
        app.MapFallback(ctx => Write(ctx, 404, NotFoundBody()));
    }

    async Task Record(HttpContext ctx, RequestDelegate next)
    {
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8).ReadToEndAsync();
        ctx.Items["body"] = body;
        var route = ctx.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? Routes.Unmatched;
        var recorded = new RecordedRequest(route, ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString,
            ctx.Request.Headers.IfNoneMatch.FirstOrDefault(), body);
        // Set before the headers leave, so a test that got its answer sees the status.
        ctx.Response.OnStarting(() => { recorded.Status = ctx.Response.StatusCode; return Task.CompletedTask; });
        FakeGitHubFault? fault;
        lock (gate)
        {
            requests.Add(recorded);
            var index = faults.FindIndex(f => f.Applies(recorded));
            fault = index < 0 ? null : faults[index].Fault;
            if (index >= 0) faults.RemoveAt(index);
        }
        if (fault?.Delay is { } delay) // a slow GitHub is the scenario: Optio's timeouts must cut it off
        {
            try { await Task.Delay(delay, ctx.RequestAborted); } catch (OperationCanceledException) { return; }
            fault = null;
        }
        if (fault is not null)
        {
            foreach (var (name, value) in fault.Headers) ctx.Response.Headers[name] = value;
            await Write(ctx, fault.Status, fault.Body, etag: false);
            return;
        }
        // Octokit sends "Token <t>"; auth schemes are case-insensitive.
        var auth = ctx.Request.Headers.Authorization.ToString().Split(' ', 2);
        if (auth is not [var scheme, Token] || !(scheme.Equals("token", StringComparison.OrdinalIgnoreCase) || scheme.Equals("bearer", StringComparison.OrdinalIgnoreCase)))
        {
            await Write(ctx, 401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""");
            return;
        }
        await next(ctx);
    }

    Task ListIssues(HttpContext ctx, string owner, string repo)
    {
        var q = ctx.Request.Query;
        string json;
        string? link = null;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r) return Write(ctx, 404, NotFoundBody());
            var state = q["state"].FirstOrDefault() ?? "open";
            var assignee = q["assignee"].FirstOrDefault();
            var labels = (q["labels"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IEnumerable<FakeIssue> issues = r.Issues
                .Where(i => state == "all" || i.State == state)
                .Where(i => assignee switch
                {
                    null => true,
                    "none" => i.Assignees.Count == 0,
                    "*" => i.Assignees.Count > 0,
                    _ => i.Assignees.Contains(assignee, StringComparer.OrdinalIgnoreCase),
                })
                .Where(i => labels.All(l => i.Labels.Contains(l, StringComparer.OrdinalIgnoreCase)));
            Func<FakeIssue, object> key = q["sort"].FirstOrDefault() switch
            {
                "updated" => i => i.UpdatedAt,
                "comments" => i => i.Comments.Count,
                _ => i => i.CreatedAt,
            };
            issues = q["direction"].FirstOrDefault() == "asc"
                ? issues.OrderBy(key).ThenBy(i => i.Number)
                : issues.OrderByDescending(key).ThenByDescending(i => i.Number);
            var all = issues.ToList();
            var perPage = Math.Clamp(int.TryParse(q["per_page"], out var pp) ? pp : 30, 1, 100);
            var page = Math.Max(1, int.TryParse(q["page"], out var p) ? p : 1);
            var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
            json = new JsonArray([.. all.Skip((page - 1) * perPage).Take(perPage).Select(i => IssueJson(r, i))]).ToJsonString();
            link = Link(ctx, page, last);
        }
        if (link is not null) ctx.Response.Headers.Link = link;
        return Write(ctx, 200, json);
    }

    Task GetIssue(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            json = IssueJson(r, issue).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task UpdateIssue(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            var patch = JsonNode.Parse(Body(ctx))!.AsObject();
            // GitHub's PATCH semantics: an absent field is kept, a present null clears it.
            if (patch.TryGetPropertyValue("title", out var title) && title is not null) issue.Title = title.GetValue<string>();
            if (patch.TryGetPropertyValue("body", out var body)) issue.Body = body?.GetValue<string>();
            if (patch.TryGetPropertyValue("milestone", out var milestone)) issue.Milestone = milestone?.GetValue<int>();
            if (patch.TryGetPropertyValue("labels", out var labels))
                issue.Labels = [.. (labels?.AsArray() ?? []).Select(l => EnsureLabel(r, l!.GetValue<string>()).Name)];
            if (patch.TryGetPropertyValue("assignees", out var assignees))
                issue.Assignees = [.. (assignees?.AsArray() ?? []).Select(a => a!.GetValue<string>())];
            if (patch.TryGetPropertyValue("state", out var state) && state is not null)
            {
                issue.State = state.GetValue<string>();
                issue.ClosedAt = issue.State == "closed" ? Tick() : null;
                issue.StateReason = issue.State == "closed" ? "completed" : "reopened";
            }
            if (patch.TryGetPropertyValue("state_reason", out var reason)) issue.StateReason = reason?.GetValue<string>();
            issue.UpdatedAt = Tick();
            json = IssueJson(r, issue).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task CreateComment(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            var text = JsonNode.Parse(Body(ctx))?["body"]?.GetValue<string>();
            if (string.IsNullOrEmpty(text)) return Write(ctx, 422, ValidationFailed("IssueComment", "body", "missing_field"));
            issue.Comments.Add(text);
            var at = Tick();
            issue.UpdatedAt = at;
            var id = ++nextId;
            issue.CommentIds.Add(id);
            json = new JsonObject
            {
                ["id"] = id,
                ["node_id"] = $"IC_{id}",
                ["url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/issues/comments/{id}",
                ["html_url"] = $"{HtmlUrl(r, issue)}#issuecomment-{id}",
                ["issue_url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/issues/{issue.Number}",
                ["body"] = text,
                ["user"] = User("optio-bot"),
                ["created_at"] = Time(at),
                ["updated_at"] = Time(at),
                ["author_association"] = "NONE",
            }.ToJsonString();
        }
        return Write(ctx, 201, json);
    }

    Task ListLabels(HttpContext ctx, string owner, string repo)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r) return Write(ctx, 404, NotFoundBody());
            json = new JsonArray([.. r.Labels.Select(l => LabelJson(r, l))]).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task GetLabel(HttpContext ctx, string owner, string repo, string name)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Labels.FirstOrDefault(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) is not { } label)
                return Write(ctx, 404, NotFoundBody());
            json = LabelJson(r, label).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task CreateLabel(HttpContext ctx, string owner, string repo)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r) return Write(ctx, 404, NotFoundBody());
            var input = JsonNode.Parse(Body(ctx))!;
            var name = input["name"]!.GetValue<string>();
            if (r.Labels.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                return Write(ctx, 422, ValidationFailed("Label", "name", "already_exists"));
            var label = new FakeLabel(++nextId, name, input["color"]?.GetValue<string>() ?? "ededed");
            r.Labels.Add(label);
            json = LabelJson(r, label).ToJsonString();
        }
        return Write(ctx, 201, json);
    }

    Task AddLabelsToIssue(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r || r.Issues.FirstOrDefault(i => i.Number == number) is not { } issue)
                return Write(ctx, 404, NotFoundBody());
            // GitHub takes a bare array or {"labels": [...]}, and creates unknown labels grey.
            var input = JsonNode.Parse(Body(ctx));
            var names = (input as JsonArray ?? input?["labels"]?.AsArray() ?? []).Select(n => n!.GetValue<string>());
            foreach (var label in names.Select(n => EnsureLabel(r, n)))
                if (!issue.Labels.Contains(label.Name, StringComparer.OrdinalIgnoreCase)) issue.Labels.Add(label.Name);
            issue.UpdatedAt = Tick();
            json = new JsonArray([.. issue.Labels.Select(n => LabelJson(r, EnsureLabel(r, n)))]).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    // ---- helpers ------------------------------------------------------------------------------------

    FakeRepo? Repo(string owner, string repo) => repos.GetValueOrDefault($"{owner}/{repo}");

    FakeLabel EnsureLabel(FakeRepo r, string name)
    {
        var label = r.Labels.FirstOrDefault(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (label is null) r.Labels.Add(label = new FakeLabel(++nextId, name, "ededed"));
        return label;
    }

    DateTimeOffset Tick() => clock = clock.AddSeconds(1);

    static string Body(HttpContext ctx) => (string)ctx.Items["body"]!;

    /// <summary>Writes JSON; a GET carries a body-hash ETag and is answered 304 when If-None-Match has it.</summary>
    static Task Write(HttpContext ctx, int status, string json, bool etag = true)
    {
        var response = ctx.Response;
        response.Headers["x-ratelimit-limit"] = "5000";
        response.Headers["x-ratelimit-remaining"] = response.Headers["x-ratelimit-remaining"].FirstOrDefault() ?? "4999";
        response.Headers["x-github-api-version-selected"] = "2022-11-28";
        if (etag && HttpMethods.IsGet(ctx.Request.Method) && status == 200)
        {
            var tag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))}\"";
            response.Headers.ETag = tag;
            if (ctx.Request.Headers.IfNoneMatch.Contains(tag))
            {
                response.StatusCode = 304;
                return Task.CompletedTask;
            }
        }
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(json);
    }

    static string? Link(HttpContext ctx, int page, int last)
    {
        string At(int n)
        {
            var query = ctx.Request.Query.Where(kv => kv.Key != "page").Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}")
                .Append($"page={n}");
            return $"<{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.Path}?{string.Join('&', query)}>";
        }
        var links = new List<string>();
        if (page > 1) links.AddRange([$"{At(page - 1)}; rel=\"prev\"", $"{At(1)}; rel=\"first\""]);
        if (page < last) links.AddRange([$"{At(page + 1)}; rel=\"next\"", $"{At(last)}; rel=\"last\""]);
        return links.Count == 0 ? null : string.Join(", ", links);
    }

    string HtmlUrl(FakeRepo r, FakeIssue i) => $"{ApiUrl}{r.Owner}/{r.Name}/{(i.IsPullRequest ? "pull" : "issues")}/{i.Number}";

    JsonObject IssueJson(FakeRepo r, FakeIssue i)
    {
        var api = $"{ApiUrl}repos/{r.Owner}/{r.Name}";
        var json = new JsonObject
        {
            ["url"] = $"{api}/issues/{i.Number}",
            ["repository_url"] = api,
            ["labels_url"] = $"{api}/issues/{i.Number}/labels{{/name}}",
            ["comments_url"] = $"{api}/issues/{i.Number}/comments",
            ["events_url"] = $"{api}/issues/{i.Number}/events",
            ["html_url"] = HtmlUrl(r, i),
            ["id"] = i.Id,
            ["node_id"] = $"I_{i.Id}",
            ["number"] = i.Number,
            ["title"] = i.Title,
            ["user"] = User("octocat"),
            ["labels"] = new JsonArray([.. i.Labels.Select(n => LabelJson(r, EnsureLabel(r, n)))]),
            ["state"] = i.State,
            ["locked"] = false,
            ["assignee"] = i.Assignees.Count == 0 ? null : User(i.Assignees[0]),
            ["assignees"] = new JsonArray([.. i.Assignees.Select(User)]),
            ["milestone"] = i.Milestone is { } m ? MilestoneJson(r, m) : null,
            ["comments"] = i.Comments.Count,
            ["created_at"] = Time(i.CreatedAt),
            ["updated_at"] = Time(i.UpdatedAt),
            ["closed_at"] = i.ClosedAt is { } c ? Time(c) : null,
            ["author_association"] = "OWNER",
            ["active_lock_reason"] = null,
            ["body"] = i.Body,
            ["state_reason"] = i.StateReason,
            ["issue_dependencies_summary"] = DependenciesSummary(i),
        };
        if (i.IsPullRequest)
            json["pull_request"] = new JsonObject
            {
                ["url"] = $"{api}/pulls/{i.Number}",
                ["html_url"] = HtmlUrl(r, i),
                ["diff_url"] = $"{HtmlUrl(r, i)}.diff",
                ["patch_url"] = $"{HtmlUrl(r, i)}.patch",
                ["merged_at"] = null,
            };
        return json;
    }

    JsonObject LabelJson(FakeRepo r, FakeLabel l) => new()
    {
        ["id"] = l.Id,
        ["node_id"] = $"LA_{l.Id}",
        ["url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/labels/{Uri.EscapeDataString(l.Name)}",
        ["name"] = l.Name,
        ["color"] = l.Color,
        ["default"] = false,
        ["description"] = null,
    };

    JsonObject MilestoneJson(FakeRepo r, int number) => new()
    {
        ["url"] = $"{ApiUrl}repos/{r.Owner}/{r.Name}/milestones/{number}",
        ["html_url"] = $"{ApiUrl}{r.Owner}/{r.Name}/milestone/{number}",
        ["id"] = 7_000_000 + number,
        ["node_id"] = $"MI_{number}",
        ["number"] = number,
        ["title"] = r.Milestones.GetValueOrDefault(number, $"Milestone {number}"),
        ["description"] = null,
        ["creator"] = User("octocat"),
        ["open_issues"] = 1,
        ["closed_issues"] = 0,
        ["state"] = "open",
        ["created_at"] = "2024-12-01T10:00:00Z",
        ["updated_at"] = "2024-12-01T10:00:00Z",
        ["due_on"] = null,
        ["closed_at"] = null,
    };

    JsonObject User(string login) => new()
    {
        ["login"] = login,
        ["id"] = login.GetHashCode(StringComparison.OrdinalIgnoreCase) & 0x7fffffff,
        ["node_id"] = $"U_{login}",
        ["avatar_url"] = $"{ApiUrl}avatars/{login}",
        ["gravatar_id"] = "",
        ["url"] = $"{ApiUrl}users/{login}",
        ["html_url"] = $"{ApiUrl}{login}",
        ["type"] = "User",
        ["site_admin"] = false,
    };

    static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    static string NotFoundBody() =>
        """{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}""";

    static string ValidationFailed(string resource, string field, string code) =>
        new JsonObject
        {
            ["message"] = "Validation Failed",
            ["errors"] = new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }),
            ["documentation_url"] = "https://docs.github.com/rest",
            ["status"] = "422",
        }.ToJsonString();
}

public sealed record FakeRepo(string Owner, string Name, long Id)
{
    public List<FakeIssue> Issues { get; } = [];
    public List<FakeLabel> Labels { get; } = [];
    public Dictionary<int, string> Milestones { get; } = [];
}

public sealed class FakeIssue
{
    public long Id { get; init; }
    public int Number { get; init; }
    public string Title { get; set; } = "";
    public string? Body { get; set; }
    public string State { get; set; } = "open";
    public string? StateReason { get; set; }
    public List<string> Labels { get; set; } = [];
    public List<string> Assignees { get; set; } = [];
    public int? Milestone { get; set; }
    public bool IsPullRequest { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<string> Comments { get; } = [];
    /// <summary>The id of each of <see cref="Comments"/>, in the same order.</summary>
    public List<long> CommentIds { get; } = [];
    /// <summary>The issues blocking this one (GitHub's issue dependencies), with their repositories.</summary>
    public List<(FakeRepo Repo, FakeIssue Issue)> BlockedBy { get; } = [];
}

public sealed record FakeLabel(long Id, string Name, string Color);

/// <summary>One request as the fake received it; <see cref="Status"/> is what it answered.</summary>
public sealed record RecordedRequest(string Route, string Method, string PathAndQuery, string? IfNoneMatch, string Body)
{
    public int Status { get; internal set; }
    public DateTime ReceivedAt { get; } = DateTime.UtcNow;
}

/// <summary>A canned failure, answered instead of whatever was asked.</summary>
public sealed record FakeGitHubFault(int Status, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Set: the request is answered normally, but only after this long.</summary>
    public TimeSpan? Delay { get; init; }

    public static FakeGitHubFault Slow(TimeSpan delay) => new(0, "", new Dictionary<string, string>()) { Delay = delay };

    public static FakeGitHubFault PrimaryRateLimit(DateTimeOffset reset) => new(403,
        """{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api","status":"403"}""",
        new Dictionary<string, string>
        {
            ["x-ratelimit-limit"] = "5000",
            ["x-ratelimit-remaining"] = "0",
            ["x-ratelimit-used"] = "5000",
            ["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["x-ratelimit-resource"] = "core",
        });

    public static FakeGitHubFault SecondaryRateLimit(int retryAfterSeconds, int status = 403) => new(status,
        """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits","status":"403"}""",
        new Dictionary<string, string>
        {
            ["retry-after"] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture),
            ["x-ratelimit-remaining"] = "4321",
        });

    public static FakeGitHubFault ServerError { get; } = new(500, """{"message":"Server Error"}""", new Dictionary<string, string>());

    public static FakeGitHubFault BadCredentials { get; } = new(401,
        """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}""", new Dictionary<string, string>());

    public static FakeGitHubFault MalformedJson { get; } = new(200, """[{"id": 1, "number": 1, "title": "cut of""", new Dictionary<string, string>());
}
