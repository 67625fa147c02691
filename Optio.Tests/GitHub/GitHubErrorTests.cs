using Optio.Tests.Fakes;
using Optio.Api.Integrations.GitHub;

namespace Optio.Tests.GitHub;

[Trait("Category", "Faults")]
public class GitHubErrorTests : GitHubTest
{
    [Fact]
    public async Task Primary_rate_limit_waits_until_the_quota_resets()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.FailNext(1, FakeGitHubFault.PrimaryRateLimit(reset: Clock.GetUtcNow().AddMinutes(17)));

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => FetchAsync("acme", "webapp", ["optio"]));

        Assert.Equal(TimeSpan.FromMinutes(17), e.RetryAfter);
        Assert.False(e.Secondary);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(429)]
    public async Task Secondary_rate_limit_waits_as_long_as_retry_after_says(int status)
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Fix it");
        GitHub.FailNext(1, FakeGitHubFault.SecondaryRateLimit(retryAfterSeconds: 90, status));

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(
            () => Issues.CommentAsync(Settings, "acme", "webapp", 1, "hello", CancellationToken.None));

        Assert.Equal(TimeSpan.FromSeconds(90), e.RetryAfter);
        Assert.True(e.Secondary);
    }

    [Fact]
    public async Task Secondary_rate_limit_without_retry_after_waits_a_minute()
    {
        GitHub.AddRepo("acme", "webapp");
        var secondary = FakeGitHubFault.SecondaryRateLimit(90);
        GitHub.FailNext(1, secondary with { Headers = new Dictionary<string, string>() });

        var e = await Assert.ThrowsAsync<GitHubRateLimitedException>(() => FetchAsync("acme", "webapp", ["optio"]));

        Assert.Equal(TimeSpan.FromSeconds(60), e.RetryAfter);
    }

    [Fact]
    public async Task Refused_token_is_named_without_showing_it()
    {
        GitHub.AddRepo("acme", "webapp");
        const string wrong = "ghp_NotTheRightToken0000000000000000000";

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => Issues.FetchOpenIssuesAsync(
            new GitHubSettings(GitHub.ApiUrl, wrong), "acme", "webapp", ["optio"], null, CancellationToken.None));

        Assert.Equal(401, e.StatusCode);
        Assert.StartsWith("GitHub refused the token (401)", e.Message);
        Assert.DoesNotContain(wrong, e.ToString());
        Assert.DoesNotContain(wrong, new GitHubSettings(GitHub.ApiUrl, wrong).ToString());
    }

    [Fact]
    public async Task Missing_repository_is_named()
    {
        var e = await Assert.ThrowsAsync<GitHubApiException>(() => FetchAsync("acme", "nope", ["optio"]));

        Assert.Equal("repository acme/nope not found or not visible to the token (404)", e.Message);
    }

    [Fact]
    public async Task Server_error_is_an_api_failure()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.AddIssue("acme", "webapp", "Fix it");
        GitHub.FailNext(1, FakeGitHubFault.ServerError);

        var e = await Assert.ThrowsAsync<GitHubApiException>(
            () => Issues.CloseIssueAsync(Settings, "acme", "webapp", 1, CancellationToken.None));

        Assert.Equal(500, e.StatusCode);
        Assert.Contains("issue acme/webapp#1", e.Message);
    }

    [Fact]
    public async Task Malformed_json_is_an_api_failure()
    {
        GitHub.AddRepo("acme", "webapp");
        GitHub.FailNext(1, FakeGitHubFault.MalformedJson);

        var e = await Assert.ThrowsAsync<GitHubApiException>(() => FetchAsync("acme", "webapp", ["optio"]));

        Assert.Contains("could not be read", e.Message);
    }
}
