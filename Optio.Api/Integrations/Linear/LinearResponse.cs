using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Optio.Api.Integrations.Linear;

/// <summary>Reads Linear's answer: GraphQL errors arrive with any HTTP status, 200 included, so the body is read first.</summary>
static class LinearResponse
{
    sealed record GraphQLError(string Message, string? Code, string? Type, int? StatusCode);

    public static JsonElement ReadData(HttpResponseMessage response, string body, string apiKey, DateTimeOffset now)
    {
        var status = response.StatusCode;
        var root = TryParse(body);
        var errors = root is { } r ? ReadErrors(r) : [];
        var said = errors.Count > 0 ? $": {string.Join("; ", errors.Select(e => e.Message).Distinct())}" : "";

        if (status == HttpStatusCode.TooManyRequests || errors.Any(IsRateLimited))
            throw new LinearRateLimitedException(Redact($"Linear is rate limiting this API key (HTTP {(int)status}){said}", apiKey),
                RetryAfter(response, now), status);
        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || errors.Any(IsKeyRefused))
            throw new LinearApiException(Redact($"Linear refused the API key (HTTP {(int)status}){said}. "
                + "Check that Optio's Linear API key is valid, not revoked, and may read the team; a personal key (lin_api_…) is sent without 'Bearer'.", apiKey), status);
        if (root is not { } json)
            throw new LinearApiException($"Linear answered HTTP {(int)status} with a body that is not JSON "
                + $"({response.Content.Headers.ContentType?.MediaType ?? "no content type"}, {body.Length} characters).", status);
        if (errors.Count > 0)
            throw new LinearApiException(Redact($"Linear answered with GraphQL errors (HTTP {(int)status}){said}", apiKey), status);
        if (!response.IsSuccessStatusCode)
            throw new LinearApiException($"Linear answered HTTP {(int)status} without saying why.", status);
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            throw new LinearApiException("Linear answered with JSON that is not a GraphQL response (no data).", status);
        return data;
    }

    static JsonElement? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static List<GraphQLError> ReadErrors(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
            return [];
        return [.. errors.EnumerateArray().Select(e =>
        {
            var extensions = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("extensions", out var x) && x.ValueKind == JsonValueKind.Object ? x : default;
            var message = Text(extensions, "userPresentableMessage") ?? Text(e, "message") ?? "(no message)";
            int? statusCode = extensions.ValueKind == JsonValueKind.Object && extensions.TryGetProperty("statusCode", out var s) && s.TryGetInt32(out var n) ? n : null;
            return new GraphQLError(message, Text(extensions, "code"), Text(extensions, "type"), statusCode);
        })];
    }

    static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    // Linear says "RATELIMITED" in extensions.code and "ratelimited" in extensions.type; accept the spellings around it.
    static bool IsRateLimited(GraphQLError e) => e.StatusCode == 429 || Says(e, "ratelimited");

    static bool IsKeyRefused(GraphQLError e) => e.StatusCode is 401 || Says(e, "authenticationerror");

    static bool Says(GraphQLError e, string word) => Squash(e.Code) == word || Squash(e.Type) == word;

    static string? Squash(string? value) =>
        value is null ? null : new string([.. value.Where(char.IsLetter).Select(char.ToLowerInvariant)]);

    /// <summary>From <c>retry-after</c> (seconds or a date), else from Linear's reset headers (epoch milliseconds).</summary>
    static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter is { } typed)
            return typed.Delta ?? (typed.Date is { } date ? NotNegative(date - now) : null);
        if (Header(response, "retry-after") is { } raw && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return NotNegative(TimeSpan.FromSeconds(seconds));

        // Linear limits requests and complexity in separate buckets: wait for the one that is empty.
        var resets = new[] { "requests", "complexity" }
            .Select(bucket => (
                Remaining: Number(Header(response, $"x-ratelimit-{bucket}-remaining")),
                ResetMs: Number(Header(response, $"x-ratelimit-{bucket}-reset"))))
            .Where(b => b.ResetMs is not null)
            .ToList();
        var empty = resets.Where(b => b.Remaining is <= 0).ToList();
        var reset = (empty.Count > 0 ? empty : resets).Max(b => b.ResetMs);
        return reset is { } ms ? NotNegative(DateTimeOffset.FromUnixTimeMilliseconds((long)ms) - now) : null;
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    static double? Number(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    static TimeSpan NotNegative(TimeSpan value) => value < TimeSpan.Zero ? TimeSpan.Zero : value;

    static string Redact(string message, string apiKey)
    {
        var key = apiKey.Trim();
        if (key.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) key = key[7..].Trim();
        return key.Length >= 8 ? message.Replace(key, "***", StringComparison.Ordinal) : message;
    }
}
