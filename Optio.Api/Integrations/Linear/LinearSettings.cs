using System.Text;

namespace Optio.Api.Integrations.Linear;

/// <summary>Where Linear is, how to sign in, and which issues Optio imports.</summary>
/// <param name="ApiKey">A personal key (<c>lin_api_…</c>) is sent as is; an OAuth token as <c>Bearer …</c>.</param>
/// <param name="TeamId">Only issues of this team, when set.</param>
/// <param name="ProjectId">Only issues of this project, when set.</param>
/// <param name="Label">Issues carrying this label (any case) are imported.</param>
public sealed record LinearSettings(Uri ApiUrl, string ApiKey, string? TeamId, string? ProjectId, string Label)
{
    public static readonly Uri DefaultApiUrl = new("https://api.linear.app/graphql");

    public LinearSettings(string apiKey, string label, string? teamId = null, string? projectId = null)
        : this(DefaultApiUrl, apiKey, teamId, projectId, label) { }

    /// <summary>Linear wants a personal key bare; a "Bearer " prefix would make it refuse the key.</summary>
    public string AuthorizationHeader()
    {
        var key = ApiKey.Trim();
        if (key.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return key;
        return key.StartsWith("lin_oauth_", StringComparison.Ordinal) ? $"Bearer {key}" : key;
    }

    // Records print every property: keep the key out of logs and exception messages.
    bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"ApiUrl = {ApiUrl}, ApiKey = ***, TeamId = {TeamId}, ProjectId = {ProjectId}, Label = {Label}");
        return true;
    }
}
