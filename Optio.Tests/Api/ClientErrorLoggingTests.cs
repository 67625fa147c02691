using Alba;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Api;

/// <summary>A client's mistake is not a fault of the service: it is logged as what it is, not as an error with a stack trace.</summary>
[Collection(TasksCollection.Name)]
public class ClientErrorLoggingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Malformed_json_and_a_duplicate_repo_log_no_error_and_no_stack_trace()
    {
        var logs = new CapturedLogs();
        await using var host = await ApiHost.StartHostAsync(await TestPostgres.NewDatabaseAsync("optio_logs"),
            new FakeTimeProvider(DateTimeOffset.UtcNow), services: s => s.AddSingleton<ILoggerProvider>(logs));
        var repo = new { url = $"https://github.com/acme/logs{Guid.NewGuid():N}" };
        await host.Scenario(s => { s.Post.Json(repo).ToUrl("/api/repos"); s.StatusCodeShouldBe(201); });
        var before = logs.Entries.Count;

        await host.Scenario(s =>
        {
            s.Post.Text("{\"title\": \"unfinished").ToUrl("/api/tasks");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        await host.Scenario(s =>
        {
            s.Post.Text("{\"url\": 42}").ToUrl("/api/repos");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        await host.Scenario(s => { s.Post.Json(repo).ToUrl("/api/repos"); s.StatusCodeShouldBe(409); });

        // A line is written once the response is done, which the test client may see first.
        var logged = await Eventually.Until(() => Task.FromResult(logs.Entries.Skip(before).ToList()),
            l => l.Count(e => e.Category == "Optio.Api.ClientErrors") >= 3, what: "the three client-error lines");
        foreach (var entry in logged) output.WriteLine(entry.ToString());
        Assert.DoesNotContain(logged, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(logged, e => e.Exception is not null && e.Level >= LogLevel.Warning);
        // Logged as what they are: one Information line each, naming the request and the status (each logs as its
        // response completes, so the order of the lines is not the order of the requests).
        Assert.Equal(["POST /api/repos answered 400", "POST /api/repos answered 409", "POST /api/tasks answered 400"],
            logged.Where(e => e.Category == "Optio.Api.ClientErrors" && e.Level == LogLevel.Information && e.Exception is null)
                .Select(e => e.Message.Split(':')[0]).Order());
    }

    [Fact]
    public async Task The_configured_log_levels_still_decide_what_is_written()
    {
        await using var host = await ApiHost.StartHostAsync(await TestPostgres.NewDatabaseAsync("optio_logs"),
            new FakeTimeProvider(DateTimeOffset.UtcNow));
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();

        // appsettings.json: Default Information, Microsoft.AspNetCore Warning.
        Assert.True(loggers.CreateLogger("Optio.Api.Anything").IsEnabled(LogLevel.Information));
        Assert.False(loggers.CreateLogger("System.Net.Http.HttpClient.webhooks.LogicalHandler").IsEnabled(LogLevel.Trace));
        Assert.False(loggers.CreateLogger("Optio.Api.Anything").IsEnabled(LogLevel.Debug));
        Assert.False(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Information));
        Assert.True(loggers.CreateLogger("Microsoft.AspNetCore.Routing.EndpointMiddleware").IsEnabled(LogLevel.Warning));
    }
}
