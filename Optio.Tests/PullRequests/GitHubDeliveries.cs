using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Alba;

namespace Optio.Tests.PullRequests;

/// <summary>Real GitHub payloads from the fixtures, pointed at a test's repo, signed as GitHub signs them, and posted.</summary>
public static class GitHubDeliveries
{
    public static JsonObject Payload(string name, string owner, string repo)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "github-webhooks", $"{name}.payload.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json["repository"]!["full_name"] = $"{owner}/{repo}";
        json["repository"]!["name"] = repo;
        json["repository"]!["owner"]!["login"] = owner;
        json["repository"]!["html_url"] = $"https://github.com/{owner}/{repo}";
        return json;
    }

    /// <summary>The payload as a GitHub Enterprise host sends it: the repository's and the pull request's pages on that host.</summary>
    public static JsonObject OnHost(this JsonObject payload, string webHost)
    {
        var repository = payload["repository"]!;
        repository["html_url"] = $"{webHost}/{repository["full_name"]}";
        if (payload["pull_request"] is JsonObject pr) pr["html_url"] = $"{repository["html_url"]}/pull/{pr["number"]}";
        return payload;
    }

    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static Task<IScenarioResult> PostAsync(this IAlbaHost host, string eventName, string body, string? signature, string? deliveryId = null, int? status = null) =>
        host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl("/api/webhooks/github");
            s.WithRequestHeader("Content-Type", "application/json");
            s.RemoveRequestHeader("Authorization");
            s.WithRequestHeader("X-GitHub-Event", eventName);
            s.WithRequestHeader("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
            if (signature is not null) s.WithRequestHeader("X-Hub-Signature-256", signature);
            if (status is { } expected) s.StatusCodeShouldBe(expected); else s.IgnoreStatusCode();
        });
}
