using System.Net;
using Optio.Tests.Fakes;
using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Linear;

/// <summary>Linear reports failures in the body as often as in the status: each must surface as a clear exception.</summary>
[Trait("Category", "Faults")]
public sealed class LinearErrorTests : WithFakeLinear
{
    Task Fetch() => Client.FetchOpenIssuesAsync(Linear.Settings(), CancellationToken.None);

    [Fact]
    public async Task GraphQL_errors_in_a_200_answer_throw()
    {
        Linear.AnswerNext(FakeLinearAnswer.GraphQLError("Argument Validation Error", status: 200));

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.IsNotType<LinearRateLimitedException>(e);
        Assert.Contains("Argument Validation Error", e.Message);
        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
    }

    [Fact]
    public async Task Errors_never_carry_the_api_key()
    {
        Linear.AnswerNext(FakeLinearAnswer.GraphQLError($"Key {FakeLinear.DefaultApiKey} is not allowed here"));

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.Contains("is not allowed here", e.Message);
        Assert.DoesNotContain(FakeLinear.DefaultApiKey, e.Message);
    }

    [Fact]
    public async Task Too_many_requests_throws_rate_limited_with_retry_after()
    {
        Linear.AnswerNext(FakeLinearAnswer.TooManyRequests(retryAfterSeconds: "42"));

        var e = await Assert.ThrowsAsync<LinearRateLimitedException>(Fetch);

        Assert.Equal(TimeSpan.FromSeconds(42), e.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(400)]
    public async Task A_rate_limited_error_throws_rate_limited_until_the_reset(int status)
    {
        Linear.AnswerNext(FakeLinearAnswer.RateLimitedError(DateTimeOffset.UtcNow.AddSeconds(20), status));

        var e = await Assert.ThrowsAsync<LinearRateLimitedException>(Fetch);

        Assert.NotNull(e.RetryAfter);
        Assert.InRange(e.RetryAfter.Value, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20));
        Assert.Contains("Rate limit exceeded", e.Message);
    }

    [Fact]
    public async Task Rate_limiting_is_left_to_the_caller_to_wait_out()
    {
        Linear.AddIssue(Linear.AddTeam("ENG"), "x", ["optio"]);
        Linear.AnswerNext(FakeLinearAnswer.TooManyRequests(), times: 3);

        await Assert.ThrowsAsync<LinearRateLimitedException>(Fetch);

        Assert.Single(Linear.Requests);
    }

    [Fact]
    public async Task A_refused_key_gives_a_clear_error()
    {
        var settings = Linear.Settings(apiKey: "lin_api_REVOKED0000000000000000");

        var e = await Assert.ThrowsAsync<LinearApiException>(() => Client.FetchOpenIssuesAsync(settings, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Contains("refused the API key", e.Message);
        Assert.DoesNotContain("REVOKED", e.Message);
    }

    [Fact]
    public async Task An_authentication_error_in_a_400_is_a_refused_key_too()
    {
        Linear.AnswerNext(FakeLinearAnswer.AuthenticationRequired(status: 400));

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.Contains("refused the API key", e.Message);
        Assert.Contains("Authentication required", e.Message);
    }

    [Fact]
    public async Task A_bearer_prefixed_personal_key_is_refused_like_Linear_does()
    {
        var settings = Linear.Settings(apiKey: $"Bearer {FakeLinear.DefaultApiKey}");

        var e = await Assert.ThrowsAsync<LinearApiException>(() => Client.FetchOpenIssuesAsync(settings, CancellationToken.None));

        Assert.Contains("refused the API key", e.Message);
        Assert.DoesNotContain(FakeLinear.DefaultApiKey, e.Message);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(502)]
    public async Task A_body_that_is_not_JSON_throws(int status)
    {
        Linear.AnswerNext(FakeLinearAnswer.NotJson(status));

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.Contains("not JSON", e.Message);
        Assert.Equal((HttpStatusCode)status, e.StatusCode);
    }

    [Fact]
    public async Task Malformed_JSON_throws()
    {
        Linear.AnswerNext(FakeLinearAnswer.MalformedJson());

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.Contains("not JSON", e.Message);
    }

    [Fact]
    public async Task An_answer_of_the_wrong_shape_throws()
    {
        Linear.AnswerNext(new FakeLinearAnswer(200, """{"data": {"issues": {"nodes": [{"id": "not-all-there"}], "pageInfo": {"hasNextPage": false}}}}"""));

        var e = await Assert.ThrowsAsync<LinearApiException>(Fetch);

        Assert.Contains("expected shape", e.Message);
    }

    [Fact]
    public async Task The_fake_rejects_a_query_that_does_not_validate()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Linear.ApiUrl)
        {
            Content = new StringContent("""{"query": "query { issues { nodes { idd } } }"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", FakeLinear.DefaultApiKey);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("Cannot query field 'idd' on type 'Issue'", body.RootElement.GetProperty("errors")[0].GetProperty("message").GetString());
    }
}
