using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Linear;

public sealed class LinearSettingsTests
{
    [Theory]
    [InlineData("lin_api_abc123", "lin_api_abc123")]
    [InlineData("  lin_api_abc123 ", "lin_api_abc123")]
    [InlineData("lin_oauth_abc123", "Bearer lin_oauth_abc123")]
    [InlineData("Bearer some-oauth-token", "Bearer some-oauth-token")]
    public void Authorization_is_the_bare_personal_key_or_a_bearer_token(string apiKey, string expected) =>
        Assert.Equal(expected, new LinearSettings(apiKey, "optio").AuthorizationHeader());

    [Fact]
    public void Settings_default_to_Linears_endpoint() =>
        Assert.Equal(new Uri("https://api.linear.app/graphql"), new LinearSettings("lin_api_abc123", "optio").ApiUrl);

    [Fact]
    public void Settings_never_print_the_api_key()
    {
        var text = new LinearSettings("lin_api_SECRET123456", "optio", teamId: "team-1").ToString();

        Assert.DoesNotContain("SECRET", text);
        Assert.Contains("team-1", text);
    }
}
