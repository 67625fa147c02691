using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Optio.Tests.Fakes;

/// <summary>Pull requests, their check runs, commit statuses and reviews, as the PR poller reads them.</summary>
public sealed partial class FakeGitHub
{
    public static class PullRoutes
    {
        public const string GetPull = "get pull";
        public const string ListPulls = "list pulls";
        public const string CheckRuns = "check runs";
        public const string CombinedStatus = "combined status";
        public const string Reviews = "reviews";
        public const string CreatePull = "create pull";
    }

    readonly Dictionary<string, List<FakePullRequest>> pulls = [];

    public FakePullRequest AddPull(string owner, string repo, int number, string headRef, string? body = null)
    {
        lock (gate)
        {
            var list = pulls.TryGetValue($"{owner}/{repo}", out var l) ? l : pulls[$"{owner}/{repo}"] = [];
            var at = Tick();
            var pr = new FakePullRequest { Number = number, HeadRef = headRef, Body = body, HeadSha = Sha(), CreatedAt = at, UpdatedAt = at };
            list.Add(pr);
            return pr;
        }
    }

    /// <summary>Changes a pull request as GitHub would; its updated_at moves on.</summary>
    public void EditPull(string owner, string repo, int number, Action<FakePullRequest> change)
    {
        lock (gate)
        {
            var pr = pulls[$"{owner}/{repo}"].Single(p => p.Number == number);
            change(pr);
            pr.UpdatedAt = Tick();
        }
    }

    /// <summary>CI reports on the head commit: check runs and statuses change, the PR's updated_at does not (as on GitHub).</summary>
    public void ReportCi(string owner, string repo, int number, Action<FakePullRequest> change)
    {
        lock (gate) change(pulls[$"{owner}/{repo}"].Single(p => p.Number == number));
    }

    static string Sha() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "00000000";

    void MapPullRequests()
    {
        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}", GetPull).WithName(PullRoutes.GetPull);
        app.MapGet("/repos/{owner}/{repo}/pulls", ListPulls).WithName(PullRoutes.ListPulls);
        app.MapPost("/repos/{owner}/{repo}/pulls", CreatePull).WithName(PullRoutes.CreatePull);
        app.MapGet("/repos/{owner}/{repo}/commits/{sha}/check-runs", CheckRuns).WithName(PullRoutes.CheckRuns);
        app.MapGet("/repos/{owner}/{repo}/commits/{sha}/status", CombinedStatus).WithName(PullRoutes.CombinedStatus);
        app.MapGet("/repos/{owner}/{repo}/pulls/{number:int}/reviews", Reviews).WithName(PullRoutes.Reviews);
    }

    FakePullRequest? Pull(string owner, string repo, int number) =>
        pulls.TryGetValue($"{owner}/{repo}", out var list) ? list.FirstOrDefault(p => p.Number == number) : null;

    Task GetPull(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Pull(owner, repo, number) is not { } pr) return Write(ctx, 404, NotFoundBody());
            json = PullJson(owner, repo, pr).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task ListPulls(HttpContext ctx, string owner, string repo)
    {
        var head = ctx.Request.Query["head"].FirstOrDefault();
        var state = ctx.Request.Query["state"].FirstOrDefault() ?? "open";
        var perPage = int.TryParse(ctx.Request.Query["per_page"], out var n) ? Math.Min(n, 100) : 30;
        // GitHub's defaults: by creation time, newest first; by another key, ascending unless told otherwise.
        var sort = ctx.Request.Query["sort"].FirstOrDefault() ?? "created";
        var descending = (ctx.Request.Query["direction"].FirstOrDefault() ?? (sort == "created" ? "desc" : "asc")) == "desc";
        string json;
        lock (gate)
        {
            var all = pulls.TryGetValue($"{owner}/{repo}", out var list) ? list : [];
            var matching = all
                .Where(p => state == "all" || p.State == state)
                .Where(p => head is null || head == $"{owner}:{p.HeadRef}");
            Func<FakePullRequest, DateTimeOffset> key = sort == "updated" ? p => p.UpdatedAt : p => p.CreatedAt;
            matching = descending ? matching.OrderByDescending(key).ThenByDescending(p => p.Number) : matching.OrderBy(key).ThenBy(p => p.Number);
            json = new JsonArray([.. matching.Take(perPage).Select(p => PullJson(owner, repo, p))]).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    /// <summary>The pull requests of a repository, oldest first.</summary>
    public IReadOnlyList<FakePullRequest> Pulls(string owner, string repo)
    {
        lock (gate) return pulls.TryGetValue($"{owner}/{repo}", out var list) ? [.. list] : [];
    }

    /// <summary>GitHub's rules: the repository must exist, title/head/base are required, one open PR per head branch.</summary>
    Task CreatePull(HttpContext ctx, string owner, string repo)
    {
        string json;
        lock (gate)
        {
            if (Repo(owner, repo) is not { } r) return Write(ctx, 404, NotFoundBody());
            var input = JsonNode.Parse(Body(ctx))!;
            var (title, head, @base) = (input["title"]?.GetValue<string>(), input["head"]?.GetValue<string>(), input["base"]?.GetValue<string>());
            if (string.IsNullOrEmpty(title)) return Write(ctx, 422, ValidationFailed("PullRequest", "title", "missing_field"));
            if (string.IsNullOrEmpty(head)) return Write(ctx, 422, ValidationFailed("PullRequest", "head", "missing_field"));
            if (string.IsNullOrEmpty(@base)) return Write(ctx, 422, ValidationFailed("PullRequest", "base", "missing_field"));
            var list = pulls.TryGetValue($"{owner}/{repo}", out var l) ? l : pulls[$"{owner}/{repo}"] = [];
            if (list.Any(p => p.State == "open" && p.HeadRef == head))
                return Write(ctx, 422, new JsonObject
                {
                    ["message"] = "Validation Failed",
                    ["errors"] = new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {owner}:{head}." }),
                    ["documentation_url"] = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                    ["status"] = "422",
                }.ToJsonString());
            var pr = new FakePullRequest
            {
                Number = r.Issues.Count + list.Count + 1, HeadRef = head, BaseRef = @base, Title = title,
                Body = input["body"]?.GetValue<string>(), HeadSha = Sha(), UpdatedAt = Tick(),
            };
            list.Add(pr);
            json = PullJson(owner, repo, pr).ToJsonString();
        }
        return Write(ctx, 201, json);
    }

    Task CheckRuns(HttpContext ctx, string owner, string repo, string sha)
    {
        string json;
        lock (gate)
        {
            var pr = pulls.GetValueOrDefault($"{owner}/{repo}")?.FirstOrDefault(p => p.HeadSha == sha);
            var runs = pr?.CheckRuns ?? [];
            json = new JsonObject
            {
                ["total_count"] = runs.Count,
                ["check_runs"] = new JsonArray([.. runs.Select((r, i) => (JsonNode)new JsonObject
                {
                    ["id"] = i + 1, ["name"] = r.Name, ["head_sha"] = sha, ["status"] = r.Conclusion is null ? "in_progress" : "completed",
                    ["conclusion"] = r.Conclusion, ["started_at"] = Time(pr!.UpdatedAt), ["html_url"] = $"{ApiUrl}runs/{i + 1}",
                })]),
            }.ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task CombinedStatus(HttpContext ctx, string owner, string repo, string sha)
    {
        string json;
        lock (gate)
        {
            var statuses = pulls.GetValueOrDefault($"{owner}/{repo}")?.FirstOrDefault(p => p.HeadSha == sha)?.Statuses ?? [];
            var state = statuses.Any(s => s.State is "failure" or "error") ? "failure" : statuses.Any(s => s.State == "pending") ? "pending" : "success";
            json = new JsonObject
            {
                ["state"] = state, ["sha"] = sha, ["total_count"] = statuses.Count,
                ["statuses"] = new JsonArray([.. statuses.Select((s, i) => (JsonNode)new JsonObject
                {
                    ["id"] = i + 1, ["state"] = s.State, ["context"] = s.Context, ["description"] = s.State,
                    ["created_at"] = Time(DateTimeOffset.UnixEpoch), ["updated_at"] = Time(DateTimeOffset.UnixEpoch),
                })]),
            }.ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    Task Reviews(HttpContext ctx, string owner, string repo, int number)
    {
        string json;
        lock (gate)
        {
            if (Pull(owner, repo, number) is not { } pr) return Write(ctx, 404, NotFoundBody());
            json = new JsonArray([.. pr.Reviews.Select((r, i) => (JsonNode)new JsonObject
            {
                ["id"] = i + 1, ["user"] = User(r.Reviewer), ["state"] = r.State, ["body"] = "",
                ["submitted_at"] = Time(DateTimeOffset.UnixEpoch.AddMinutes(i + 1)), ["commit_id"] = pr.HeadSha,
            })]).ToJsonString();
        }
        return Write(ctx, 200, json);
    }

    JsonObject PullJson(string owner, string repo, FakePullRequest pr) => new()
    {
        ["id"] = pr.Number + 100_000,
        ["node_id"] = $"PR_{pr.Number}",
        ["number"] = pr.Number,
        ["state"] = pr.State,
        ["title"] = pr.Title ?? $"PR {pr.Number}",
        ["body"] = pr.Body,
        ["url"] = $"{ApiUrl}repos/{owner}/{repo}/pulls/{pr.Number}",
        ["html_url"] = $"https://github.com/{owner}/{repo}/pull/{pr.Number}",
        ["user"] = User("agent-bot"),
        ["head"] = new JsonObject { ["ref"] = pr.HeadRef, ["sha"] = pr.HeadSha, ["label"] = $"{owner}:{pr.HeadRef}" },
        ["base"] = new JsonObject { ["ref"] = pr.BaseRef, ["sha"] = "0000000000000000000000000000000000000000", ["label"] = $"{owner}:{pr.BaseRef}" },
        ["merged"] = pr.Merged,
        ["merged_at"] = pr.Merged ? Time(pr.UpdatedAt) : null,
        ["closed_at"] = pr.State == "closed" ? Time(pr.UpdatedAt) : null,
        ["created_at"] = Time(pr.CreatedAt),
        ["updated_at"] = Time(pr.UpdatedAt),
        ["draft"] = false,
    };
}

public sealed class FakePullRequest
{
    public int Number { get; init; }
    public string HeadRef { get; init; } = "";
    public string BaseRef { get; init; } = "main";
    public string? Title { get; init; }
    public string HeadSha { get; set; } = "";
    public string? Body { get; set; }
    public string State { get; set; } = "open";
    public bool Merged { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<FakeCheckRun> CheckRuns { get; } = [];
    public List<FakeCommitStatus> Statuses { get; } = [];
    public List<FakeReview> Reviews { get; } = [];
}

/// <param name="Conclusion">success, failure, timed_out, cancelled, action_required, neutral, skipped; null while running.</param>
public sealed record FakeCheckRun(string Name, string? Conclusion);

/// <param name="State">success, pending, failure, error.</param>
public sealed record FakeCommitStatus(string Context, string State);

/// <param name="State">APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED.</param>
public sealed record FakeReview(string Reviewer, string State);
