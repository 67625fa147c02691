namespace Optio.Api.Integrations.GitHub;

/// <summary>Where the GitHub API is and the token to call it with.</summary>
/// <param name="ApiUrl"><c>https://api.github.com/</c>, or a GitHub Enterprise <c>https://host/api/v3/</c>, used as given.</param>
public sealed record GitHubSettings(Uri ApiUrl, string Token)
{
    public static readonly Uri DefaultApiUrl = new("https://api.github.com/");

    public GitHubSettings(string token) : this(DefaultApiUrl, token) { }

    // A record prints every property: keep the token out of logs and exception messages.
    public override string ToString() => $"GitHubSettings {{ ApiUrl = {ApiUrl} }}";
}
