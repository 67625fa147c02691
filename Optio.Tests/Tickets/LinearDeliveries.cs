using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Optio.Tests.Fakes;

namespace Optio.Tests.Tickets;

/// <summary>
/// Linear webhook bodies as Linear documents them (no sample payload is in the shared fixtures): <c>action</c>,
/// <c>type</c>, <c>data</c> (the issue, with <c>teamId</c>, <c>labelIds</c>, <c>stateId</c>…), <c>updatedFrom</c>,
/// <c>url</c>, <c>organizationId</c>, <c>webhookTimestamp</c> (epoch ms) and <c>webhookId</c>; signed and posted as Linear does.
/// </summary>
public static class LinearDeliveries
{
    public static JsonObject IssuePayload(string action, FakeLinearIssue issue, DateTimeOffset sentAt, JsonObject? updatedFrom = null) => new()
    {
        ["action"] = action,
        ["type"] = "Issue",
        ["createdAt"] = sentAt.ToString("O"),
        ["data"] = new JsonObject
        {
            ["id"] = issue.Id,
            ["identifier"] = issue.Identifier,
            ["title"] = issue.Title,
            ["description"] = issue.Description,
            ["priority"] = issue.Priority,
            ["teamId"] = issue.Team.Id,
            ["stateId"] = issue.State.Id,
            ["labelIds"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)l.Id)]),
            ["state"] = new JsonObject { ["id"] = issue.State.Id, ["name"] = issue.State.Name, ["type"] = issue.State.Type },
            ["team"] = new JsonObject { ["id"] = issue.Team.Id, ["key"] = issue.Team.Key, ["name"] = issue.Team.Name },
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)new JsonObject { ["id"] = l.Id, ["name"] = l.Name })]),
            ["url"] = issue.Url,
        },
        ["updatedFrom"] = updatedFrom,
        ["url"] = issue.Url,
        ["organizationId"] = "7f3c2a10-0000-4000-8000-000000000001",
        ["webhookTimestamp"] = sentAt.ToUnixTimeMilliseconds(),
        ["webhookId"] = "a1b2c3d4-0000-4000-8000-000000000002",
    };

    public static string Sign(string secret, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static Task<IScenarioResult> PostLinearAsync(this IAlbaHost host, string body, string? signature, string? deliveryId = null, int? status = null) =>
        host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl("/api/webhooks/linear");
            s.WithRequestHeader("Content-Type", "application/json; charset=utf-8");
            s.RemoveRequestHeader("Authorization");
            s.WithRequestHeader("Linear-Event", "Issue");
            s.WithRequestHeader("Linear-Delivery", deliveryId ?? Guid.NewGuid().ToString());
            if (signature is not null) s.WithRequestHeader("Linear-Signature", signature);
            if (status is { } expected) s.StatusCodeShouldBe(expected); else s.IgnoreStatusCode();
        });

    /// <summary>Signs with the collection's secret and posts; the delivery id is returned.</summary>
    public static async Task<string> DeliverAsync(this TicketsHost api, JsonObject payload, int status = 202, string? deliveryId = null)
    {
        var body = payload.ToJsonString();
        var id = deliveryId ?? Guid.NewGuid().ToString();
        await api.Host.PostLinearAsync(body, Sign(TicketsHost.LinearWebhookSecret, body), id, status);
        return id;
    }
}
