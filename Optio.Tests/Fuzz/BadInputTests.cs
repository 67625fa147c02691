using Alba;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Fuzz;

/// <summary>
/// Every route, with every kind of bad input: malformed JSON, wrong types, null, unknown enum
/// values, huge bodies, no key, a wrong key. Never a 5xx, and nothing is written.
/// </summary>
[Collection(TasksCollection.Name)]
[Trait("Category", "Faults")]
public class BadInputTests(ApiHost api, ITestOutputHelper output)
{
    IAlbaHost Host => api.Host;

    static readonly byte[][] Bodies =
    [
        .. new[]
        {
            "{", "[]", "null", "\"text\"", "42", "{\"title\":123,\"prompt\":[]}", "{\"state\":\"bogus\",\"source\":\"jira\"}",
            "{\"runnerId\":{},\"leaseSeconds\":\"soon\"}", "{\"url\":7,\"events\":\"task.completed\",\"secret\":false}",
            "{\"source\":\"github\",\"config\":\"repos\"}", "{\"issueNumber\":-1,\"repoId\":\"not-a-guid\"}",
            "{\"value\":null}", "{\"since\":\"yesterday\"}", "{\"prUrl\":\"javascript:alert(1)\"}",
            new string('{', 5000), "{\"title\":\"" + new string('x', 2_000_000) + "\",\"prompt\":\"p\"}",
            // wrong types: a number as a string, a boolean as a string
            "{\"runnerId\":\"r\",\"leaseSeconds\":\"300\",\"enabled\":\"true\",\"issueNumber\":\"7\"}",
            // NUL and a lone surrogate in every field an endpoint reads
            Everywhere("a\\u0000b"), Everywhere("\\ud800"),
            // every field one character over its limit
            Everywhere(new string('x', 65_537)),
        }.Select(System.Text.Encoding.UTF8.GetBytes),
        // invalid UTF-8 inside a string
        [.. "{\"title\":\""u8, 0xC3, 0x28, .. "\",\"prompt\":\"p\",\"runnerId\":\""u8, 0xFF, .. "\"}"u8],
    ];

    /// <summary>A body with <paramref name="text"/> (already JSON-escaped) in every string field any endpoint reads.</summary>
    static string Everywhere(string text) =>
        "{" + string.Join(",", new[]
        {
            "title", "prompt", "repoUrl", "runnerId", "prUrl", "reason", "url", "defaultBranch", "slackWebhookUrl", "value",
            "webhookUrl", "secret", "source", "apiUrl", "issueUrl", "body", "agentType", "since",
        }.Select(f => $"\"{f}\":\"{text}\"")) + ",\"events\":[\"" + text + "\"],\"config\":{\"repos\":[\"" + text + "\"],\"apiKey\":\"" + text + "\"}}";

    /// <summary>
    /// Every /api route, read from the endpoint attributes, so a new route is fuzzed without anyone
    /// listing it here and test discovery boots nothing (the fact below checks the list against the running app).
    /// </summary>
    public static IEnumerable<object[]> Routes() => DeclaredRoutes().Select(r => new object[] { r.Method, r.Route });

    static IEnumerable<(string Method, string Route)> DeclaredRoutes() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetCustomAttributes(typeof(WolverineHttpMethodAttribute), inherit: false).Cast<WolverineHttpMethodAttribute>())
            .Select(a => (a.HttpMethod, "/" + a.Template.TrimStart('/')))
            .Where(r => r.Item2.StartsWith("/api"))
            .Distinct()
            .OrderBy(r => r.Item2).ThenBy(r => r.Item1);

    [Fact]
    public void The_fuzzed_routes_are_every_api_route_the_app_serves()
    {
        var served = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct()
            .OrderBy(r => r.Item2).ThenBy(r => r.Item1);
        Assert.Equal(served, DeclaredRoutes());
    }

    [Theory, MemberData(nameof(Routes))]
    public async Task Bad_input_never_gets_a_5xx_and_writes_nothing(string method, string route)
    {
        var before = await StoredRows.CountAsync(api.ConnectionString);
        foreach (var path in Paths(route))
        {
            foreach (var body in method is "GET" or "DELETE" ? [[]] : Bodies)
                await SendAsync(method, path, body, authorization: $"Bearer {ApiHost.ApiKey}");
            await SendAsync(method, path, "{}"u8.ToArray(), authorization: null);
            await SendAsync(method, path, "{}"u8.ToArray(), authorization: "Bearer not-the-key");
            if (method == "GET")
            {
                await SendAsync(method, path + "?state=bogus&page=-1&pageSize=abc&version=x&at=never&status=odd&event=nope", [], $"Bearer {ApiHost.ApiKey}");
                await SendAsync(method, path + "?state=%00&repo=a%00b&source=" + new string('x', 3000), [], $"Bearer {ApiHost.ApiKey}");
            }
        }
        Assert.Equal(before, await StoredRows.CountAsync(api.ConnectionString));
    }

    /// <summary>Route parameters filled with values that are wrong in different ways.</summary>
    static IEnumerable<string> Paths(string route)
    {
        if (!route.Contains('{')) return [route];
        return new[] { Guid.NewGuid().ToString(), "not-a-guid", "0", new string('9', 300) }
            .Select(value => System.Text.RegularExpressions.Regex.Replace(route, @"\{[^}]+\}", value));
    }

    async Task SendAsync(string method, string path, byte[] body, string? authorization)
    {
        var result = await Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Method = method;
                c.Request.Path = path.Split('?')[0];
                c.Request.QueryString = path.Contains('?') ? new Microsoft.AspNetCore.Http.QueryString("?" + path.Split('?')[1]) : default;
                if (body.Length > 0)
                {
                    c.Request.Body = new MemoryStream(body);
                    c.Request.ContentLength = body.Length;
                    c.Request.ContentType = "application/json";
                }
                else
                {
                    c.Request.ContentLength = 0;
                }
            });
            s.RemoveRequestHeader("Authorization");
            if (authorization is not null) s.WithRequestHeader("Authorization", authorization);
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        if (status >= 500) output.WriteLine(await result.ReadAsTextAsync());
        var shown = System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 80));
        Assert.True(status < 500, $"{method} {path} with {shown}{(body.Length > 80 ? "…" : "")} answered {status}");
    }
}
