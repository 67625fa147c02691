using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Runner;

/// <summary>
/// <c>--order</c> is the service's to interpret: the runner passes it on in the claim, and says nothing about order
/// when it is not given. Seen on the wire by a loopback stand-in for the API that records claims and has no tasks.
/// </summary>
public sealed class ClaimOrderTests(ITestOutputHelper output) : IAsyncLifetime
{
    readonly ConcurrentQueue<JsonObject> claims = new();
    WebApplication api = null!;
    string url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        api = builder.Build();
        api.MapGet("/health/live", () => Results.Ok());
        api.MapGet("/api/tasks", () => Results.Ok(new { items = Array.Empty<object>() }));
        api.MapPost("/api/tasks/claim", async (HttpRequest request) =>
        {
            var claim = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            claims.Enqueue(claim);
            return claim["order"]?.GetValue<string>() is null or "oldest" or "priority"
                ? Results.NoContent()
                : Results.Problem(statusCode: 400, detail: "'order' must be 'oldest' (the default) or 'priority'.");
        });
        await api.StartAsync();
        url = api.Urls.Single();
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    async Task<JsonObject> ClaimOfRunnerAsync(params string[] more) => (await RunAsync(0, more)).Claim;

    async Task<(JsonObject Claim, string Output)> RunAsync(int exitCode, params string[] more)
    {
        var workdir = Path.Combine(TestRun.Directory, "runner", "order-" + Guid.NewGuid().ToString("N")[..8]);
        await using var runner = RunnerProcess.Start(["--api", url, "--key", "k", "--command", "true", "--workdir", workdir, "--until-empty", .. more],
            new Dictionary<string, string>(), output);
        Assert.Equal(exitCode, await runner.WaitForExitAsync());
        Assert.True(claims.TryDequeue(out var claim));
        return (claim!, runner.Output);
    }

    [Fact]
    public async Task The_claim_asks_for_the_order_given_and_for_none_without_it()
    {
        var ordered = await ClaimOfRunnerAsync("--order", "priority", "--lease", "120", "--id", "runner-7");
        Assert.Equal(("priority", 120, "runner-7"), (ordered["order"]!.GetValue<string>(), ordered["leaseSeconds"]!.GetValue<int>(), ordered["runnerId"]!.GetValue<string>()));

        var plain = await ClaimOfRunnerAsync();
        Assert.False(plain.ContainsKey("order"));
    }

    [Fact]
    public async Task An_order_the_service_refuses_stops_the_runner_with_exit_code_2_and_its_reason()
    {
        var (claim, said) = await RunAsync(2, "--order", "fastest");
        Assert.Equal("fastest", claim["order"]!.GetValue<string>());
        Assert.Contains("refused the claim (400): 'order' must be 'oldest' (the default) or 'priority'.", said);
    }
}
