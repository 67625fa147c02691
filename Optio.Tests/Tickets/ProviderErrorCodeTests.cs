using System.Text.Json;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Tickets;

/// <summary>A provider's last error carries a machine-readable <c>errorCode</c> beside its message.</summary>
[Collection(TicketsCollection.Name)]
public class ProviderErrorCodeTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    public static TheoryData<string, string> Faults() => new()
    {
        { "bad credentials", "unauthorized" },
        { "rate limit", "rate_limited" },
        { "missing repo", "not_found" },
        { "malformed", "invalid_response" },
        { "server error", "unreachable" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_failed_github_sync_records_why_as_an_error_code(string fault, string errorCode)
    {
        var repo = $"err{Guid.NewGuid():N}"[..13];
        if (fault != "missing repo") api.GitHub.AddRepo("acme", repo);
        var answer = fault switch
        {
            "bad credentials" => FakeGitHubFault.BadCredentials,
            "rate limit" => FakeGitHubFault.SecondaryRateLimit(120),
            "malformed" => FakeGitHubFault.MalformedJson,
            "server error" => FakeGitHubFault.ServerError,
            _ => null,
        };
        if (answer is not null) api.GitHub.FailNext(5, answer, r => r.PathAndQuery.Contains(repo));

        var status = await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));

        Assert.NotNull(status.LastError);
        Assert.Equal(errorCode, status.LastError!.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(status.LastError.Message));
    }

    [Fact]
    public async Task A_linear_provider_whose_endpoint_does_not_answer_is_unreachable()
    {
        var closed = $"http://127.0.0.1:{FreePort.Next()}/graphql";
        // A team of its own: a provider watching every team, with a Linear that never answers, would hold up the Linear
        // webhook tests sharing this database (a delivery no provider could judge is retried, not taken as unwanted).
        var team = Guid.NewGuid().ToString();
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "linear", config = new { apiKey = FakeLinear.DefaultApiKey, teamId = team }, apiUrl = closed }).ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var provider = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();

        var status = await api.FirstSyncAsync(provider);

        Assert.Equal("unreachable", status.LastError!.ErrorCode);
    }
}
