using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Alba;
using Optio.Api.Core.Http.OpenApi;
using Optio.Api.Notifications.Subscriptions;
using Optio.Api.Tasks;
using Optio.Api.Tickets.Issues;
using Optio.Api.Tickets.Providers;

namespace Optio.Tests.Http;

/// <summary>Scalar at /scalar, offline, and examples that are what the API really takes.</summary>
[Collection(TasksCollection.Name)]
public partial class ApiReferenceTests(ApiHost api)
{
    [Fact]
    public async Task Scalar_answers_at_slash_scalar_without_a_key_and_its_script_is_served_by_this_process()
    {
        // Scalar redirects /scalar to /scalar/, so that the page's relative script URL resolves under it.
        var redirect = await api.Host.Scenario(s =>
        {
            s.Get.Url("/scalar");
            s.RemoveRequestHeader("Authorization");
            s.StatusCodeShouldBe(302);
        });
        Assert.Equal("/scalar/", new Uri(new Uri("http://optio/scalar"), redirect.Context.Response.Headers.Location.ToString()).AbsolutePath);
        var page = await api.Host.Scenario(s =>
        {
            s.Get.Url("/scalar/");
            s.RemoveRequestHeader("Authorization");
            s.StatusCodeShouldBeOk();
        });
        Assert.StartsWith("text/html", page.Context.Response.ContentType);
        var html = await page.ReadAsTextAsync();

        var scripts = ScriptSources().Matches(html).Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.False(Uri.TryCreate(src, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http"),
                $"the page loads {src} from another host: it would not work offline");
            var url = src.StartsWith('/') ? src : "/scalar/" + src.TrimStart('.', '/');
            var script = await api.Host.Scenario(s =>
            {
                s.Get.Url(url);
                s.RemoveRequestHeader("Authorization");
                s.StatusCodeShouldBeOk();
            });
            Assert.Contains("javascript", script.Context.Response.ContentType);
            Assert.True((await script.ReadAsTextAsync()).Length > 1000, $"{url} is nearly empty");
        }
        Assert.Contains(scripts, s => s.EndsWith("scalar.js", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scalar_reads_our_document_and_calls_no_cdn_font_telemetry_or_agent()
    {
        var html = (await (await api.Host.Scenario(s => s.Get.Url("/scalar/"))).ReadAsTextAsync()).Replace(" ", "");
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
        Assert.Contains("\"agent\":{\"disabled\":true}", html);
        // scalar.aspnetcore.js resolves the source against the site's root: /openapi/v1.json, which needs no key either.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        await api.Host.Scenario(s =>
        {
            s.Get.Url("/openapi/v1.json");
            s.RemoveRequestHeader("Authorization");
            s.StatusCodeShouldBeOk();
        });
    }

    [Fact]
    public void Every_request_example_binds_to_its_endpoint_body_with_no_unknown_field()
    {
        var strict = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        (ApiExample Example, Type Body)[] bodies =
        [
            (new CreateTaskExample(), typeof(CreateTask)), (new ClaimTaskExample(), typeof(ClaimTask)), (new ReportPrExample(), typeof(ReportPr)),
            (new SaveProviderExample(), typeof(SaveProvider)), (new CreateSubscriptionExample(), typeof(CreateSubscription)),
            (new AssignIssueExample(), typeof(AssignIssue)),
        ];
        foreach (var (example, body) in bodies)
            foreach (var (name, json) in example.Requests)
                Assert.True(JsonSerializer.Deserialize(json, body, strict) is not null, $"{body.Name} example '{name}' is null");
    }

    [Fact]
    public async Task The_create_task_example_creates_a_task_answered_as_its_response_example_shows()
    {
        var example = new CreateTaskExample();
        var created = await api.Host.Scenario(s =>
        {
            s.Post.Text(example.Requests.Values.Single()).ToUrl("/api/tasks");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(example.ResponseStatus);
        });
        var answer = JsonNode.Parse(await created.ReadAsTextAsync())!.AsObject();
        var shown = JsonNode.Parse(example.Response)!.AsObject();
        Assert.Equal(shown.Select(p => p.Key).Order(), answer.Select(p => p.Key).Order());
        Assert.Equal((string)shown["state"]!, (string)answer["state"]!);

        // Leave nothing queued for the collection's claim tests.
        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { reason = "example checked" }).ToUrl($"/api/tasks/{answer["id"]}/cancel");
            s.StatusCodeShouldBeOk();
        });
    }

    [GeneratedRegex("""<script[^>]*\bsrc\s*=\s*["'](?<src>[^"']+)["']""", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptSources();
}
