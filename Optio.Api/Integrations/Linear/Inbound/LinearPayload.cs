using System.Text.Json;

namespace Optio.Api.Integrations.Linear.Inbound;

/// <summary>What an <c>Issue</c> delivery says: which issue of which team, and what happened to it.</summary>
public sealed record LinearIssueEvent(string Action, Guid IssueId, string TeamId);

/// <summary>
/// Reads a Linear webhook body (Linear's documented shape: <c>action</c>, <c>type</c>, <c>data</c>, <c>updatedFrom</c>,
/// <c>webhookTimestamp</c> in epoch milliseconds, <c>organizationId</c>…), or says what is wrong with it.
/// </summary>
public static class LinearPayload
{
    public sealed record Envelope(string Type, string Action, DateTimeOffset SentAt, JsonElement Root);

    public static string? TryReadEnvelope(string json, out Envelope? envelope)
    {
        envelope = null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return $"The payload is not valid JSON: {e.Message}";
        }
        if (root.ValueKind != JsonValueKind.Object) return "The payload is not a JSON object.";
        if (!root.TryGetProperty("webhookTimestamp", out var ts) || !ts.TryGetInt64(out var ms))
            return "The payload has no numeric 'webhookTimestamp' (epoch milliseconds).";
        if (Text(root, "type") is not { Length: > 0 } type) return "The payload has no 'type'.";
        if (Text(root, "action") is not { Length: > 0 } action) return "The payload has no 'action'.";
        envelope = new Envelope(type, action, DateTimeOffset.FromUnixTimeMilliseconds(ms), root);
        return null;
    }

    /// <summary>The issue event of an <c>Issue</c> payload, or what it lacks.</summary>
    public static string? TryReadIssue(Envelope envelope, out LinearIssueEvent? issue)
    {
        issue = null;
        if (!envelope.Root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return "The Issue payload has no object 'data'.";
        if (!Guid.TryParse(Text(data, "id"), out var id)) return "The Issue payload has no UUID 'data.id'.";
        if (Text(data, "teamId") is not { Length: > 0 } teamId) return "The Issue payload has no 'data.teamId'.";
        issue = new LinearIssueEvent(envelope.Action, id, teamId);
        return null;
    }

    /// <summary>A payload <see cref="TryReadIssue"/> accepted before (the stored delivery).</summary>
    public static LinearIssueEvent ReadIssue(string json) =>
        TryReadEnvelope(json, out var envelope) is null && TryReadIssue(envelope!, out var issue) is null
            ? issue!
            : throw new InvalidOperationException("The stored Linear delivery is not an Issue payload.");

    static string? Text(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
