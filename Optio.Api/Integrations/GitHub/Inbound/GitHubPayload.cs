using System.Text.Json;
using Optio.Domain.Repos;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>What a GitHub delivery says about a repository, read once from its payload.</summary>
public abstract record GitHubEvent(string Owner, string Repo, string RepoWebUrl, string? Action);

/// <summary>An <c>issues</c> delivery: which issue, and for <c>labeled</c> the label added.</summary>
public sealed record IssueEvent(string Owner, string Repo, string RepoWebUrl, string? Action, int Number, string? AddedLabel)
    : GitHubEvent(Owner, Repo, RepoWebUrl, Action);

/// <summary>A <c>pull_request</c> delivery: the pull request as the payload shows it.</summary>
public sealed record PullRequestEvent(string Owner, string Repo, string RepoWebUrl, string? Action, string PrUrl, string HeadRef, string? Body,
    bool Open, bool Merged) : GitHubEvent(Owner, Repo, RepoWebUrl, Action);

/// <summary>A review or a CI result (<c>pull_request_review</c>, <c>check_suite</c>, <c>check_run</c>) on these pull requests.</summary>
public sealed record PullRequestActivityEvent(string Owner, string Repo, string RepoWebUrl, string? Action, IReadOnlyList<string> PrUrls)
    : GitHubEvent(Owner, Repo, RepoWebUrl, Action);

/// <summary>
/// Reads a GitHub delivery's payload into a <see cref="GitHubEvent"/>, or says what is wrong with it: the endpoint
/// refuses (400) a payload its event cannot be handled from, and the handler works from the same reading.
/// </summary>
public static class GitHubPayload
{
    /// <summary>The events Optio acts on; others are accepted and ignored.</summary>
    public static readonly IReadOnlySet<string> Handled = new HashSet<string> { "issues", "pull_request", "pull_request_review", "check_suite", "check_run" };

    public static bool TryRead(string eventName, string json, out GitHubEvent? read, out string? problem)
    {
        (read, problem) = (null, null);
        try
        {
            using var document = JsonDocument.Parse(json);
            read = Read(eventName, document.RootElement);
            return true;
        }
        catch (JsonException e)
        {
            problem = $"The payload is not valid JSON: {e.Message}";
        }
        catch (PayloadShapeException e)
        {
            problem = $"The {eventName} payload {e.Message}.";
        }
        return false;
    }

    /// <summary>A payload <see cref="TryRead"/> accepted before (the stored delivery).</summary>
    public static GitHubEvent Read(string eventName, string json) =>
        TryRead(eventName, json, out var read, out var problem) ? read! : throw new InvalidOperationException(problem);

    static GitHubEvent Read(string eventName, JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new PayloadShapeException($"is a JSON {Kind(root)}, not an object");
        var action = root.TryGetProperty("action", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
        var (owner, repo) = Repository(root);
        var webUrl = RepositoryWebUrl(root, owner, repo);
        switch (eventName)
        {
            case "issues":
                var number = Number(Object(root, "issue"), "issue.number");
                var added = action == "labeled" ? String(Required(Object(root, "label"), "name", "label.name"), "label.name") : null;
                return new IssueEvent(owner, repo, webUrl, action, number, added);
            case "pull_request":
                var pr = Object(root, "pull_request");
                var body = pr.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                return new PullRequestEvent(owner, repo, webUrl, action, PrUrl(webUrl, pr, "pull_request.number"),
                    String(Required(Object(pr, "head", "pull_request.head"), "ref", "pull_request.head.ref"), "pull_request.head.ref"), body,
                    String(Required(pr, "state", "pull_request.state"), "pull_request.state") == "open",
                    pr.TryGetProperty("merged", out var m) && m.ValueKind == JsonValueKind.True);
            case "pull_request_review":
                return new PullRequestActivityEvent(owner, repo, webUrl, action, [PrUrl(webUrl, Object(root, "pull_request"), "pull_request.number")]);
            case "check_suite" or "check_run" when action == "completed":
                var suite = eventName == "check_suite" ? Object(root, "check_suite") : Object(Object(root, "check_run"), "check_suite", "check_run.check_suite");
                var path = eventName == "check_suite" ? "check_suite.pull_requests" : "check_run.check_suite.pull_requests";
                var prs = Required(suite, "pull_requests", path);
                if (prs.ValueKind != JsonValueKind.Array) throw new PayloadShapeException($"has no array '{path}'");
                return new PullRequestActivityEvent(owner, repo, webUrl, action, prs.EnumerateArray().Select(p => PrUrl(webUrl, p, $"{path}[].number")).ToList());
            default:
                return new PullRequestActivityEvent(owner, repo, webUrl, action, []);
        }
    }

    static (string Owner, string Repo) Repository(JsonElement root)
    {
        var fullName = String(Required(Object(root, "repository"), "full_name", "repository.full_name"), "repository.full_name").ToLowerInvariant();
        var parts = fullName.Split('/');
        if (parts.Length != 2 || parts.Any(string.IsNullOrWhiteSpace))
            throw new PayloadShapeException($"has 'repository.full_name' '{fullName}', not 'owner/name'");
        return (parts[0], parts[1]);
    }

    // The repository's html_url carries the web host: github.com, or a GitHub Enterprise host.
    static string RepositoryWebUrl(JsonElement root, string owner, string repo) =>
        root.GetProperty("repository").TryGetProperty("html_url", out var html) && html.ValueKind == JsonValueKind.String
        && GitHubUrl.Repo(html.GetString()) is { } repoUrl
            ? repoUrl.RepoUrl
            : $"https://github.com/{owner}/{repo}";

    static string PrUrl(string repoUrl, JsonElement pr, string path) => $"{repoUrl}/pull/{Number(pr, path)}";

    static int Number(JsonElement parent, string path) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty("number", out var n) && n.TryGetInt32(out var number) && number > 0
            ? number
            : throw new PayloadShapeException($"has no positive integer '{path}'");

    /// <summary>The property <paramref name="name"/> of an object; <paramref name="path"/> names it in the problem.</summary>
    static JsonElement Required(JsonElement parent, string name, string? path = null)
    {
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null) return child;
        throw new PayloadShapeException($"has no '{path ?? name}'");
    }

    static JsonElement Object(JsonElement parent, string name, string? path = null)
    {
        var child = Required(parent, name, path);
        return child.ValueKind == JsonValueKind.Object ? child : throw new PayloadShapeException($"has '{path ?? name}' that is not an object");
    }

    static string String(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new PayloadShapeException($"has '{path}' that is not a string");

    static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "array", JsonValueKind.String => "string", JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean", _ => "null",
    };

    sealed class PayloadShapeException(string message) : Exception(message);
}
