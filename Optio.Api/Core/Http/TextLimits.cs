namespace Optio.Api.Core.Http;

/// <summary>
/// The longest text Optio accepts, by JSON property name, for every route: one table, so the README
/// and every endpoint agree. A property not named here is a name or an id.
/// </summary>
public static class TextLimits
{
    public const int NameOrId = 200;
    public const int Url = 2_048;
    public const int Title = 1_000;
    public const int Reason = 4_000;
    public const int SecretValue = 16_384;
    /// <summary>GitHub's own limit for an issue body (65,536 characters); prompts are issue bodies.</summary>
    public const int LongText = 65_536;
    /// <summary>A query-string value.</summary>
    public const int QueryValue = Url;

    static readonly Dictionary<string, int> ByProperty = new(StringComparer.OrdinalIgnoreCase)
    {
        ["url"] = Url, ["repoUrl"] = Url, ["prUrl"] = Url, ["issueUrl"] = Url, ["webhookUrl"] = Url,
        ["slackWebhookUrl"] = Url, ["apiUrl"] = Url,
        ["title"] = Title,
        ["reason"] = Reason,
        ["value"] = SecretValue,
        ["prompt"] = LongText, ["body"] = LongText,
    };

    public static int For(string? property) => property is not null && ByProperty.TryGetValue(property, out var limit) ? limit : NameOrId;
}
