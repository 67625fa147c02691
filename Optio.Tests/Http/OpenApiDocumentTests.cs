using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Tests.Http;

/// <summary>The OpenAPI document Scalar renders: grouped by feature, with the right credentials, statuses and examples.</summary>
[Collection(TasksCollection.Name)]
public class OpenApiDocumentTests(ApiHost api)
{
    static readonly string[] Tags = ["Tasks", "Runners", "Tickets", "Issues", "Pull requests", "Webhooks", "Repositories", "Secrets"];
    static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    async Task<JsonObject> Document()
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Get.Url("/openapi/v1.json");
            s.RemoveRequestHeader("Authorization"); // the document needs no key
            s.StatusCodeShouldBeOk();
        });
        return JsonNode.Parse(await result.ReadAsTextAsync())!.AsObject();
    }

    async Task<List<(string Method, string Path, JsonObject Op)>> Operations()
    {
        var paths = (await Document())["paths"]!.AsObject();
        return [.. from p in paths from m in p.Value!.AsObject() where Methods.Contains(m.Key) select (m.Key, p.Key, m.Value!.AsObject())];
    }

    static JsonObject Op(List<(string Method, string Path, JsonObject Op)> ops, string method, string path) =>
        ops.Single(o => o.Method == method && o.Path == path).Op;

    [Fact]
    public async Task The_document_has_exactly_the_feature_tags_and_every_operation_one_of_them()
    {
        var doc = await Document();
        Assert.Equal(Tags, doc["tags"]!.AsArray().Select(t => (string)t!["name"]!));
        var ops = await Operations();
        Assert.True(ops.Count >= 40, $"only {ops.Count} operations");
        foreach (var (method, path, op) in ops)
        {
            var tags = op["tags"]?.AsArray().Select(t => (string)t!).ToList() ?? [];
            Assert.True(tags.Count == 1 && Tags.Contains(tags[0]), $"{method} {path} is tagged [{string.Join(", ", tags)}]");
        }
    }

    [Theory]
    [InlineData("post", "/api/tasks", "Tasks")]
    [InlineData("post", "/api/tasks/{id}/cancel", "Tasks")]
    [InlineData("post", "/api/tasks/claim", "Runners")]
    [InlineData("post", "/api/tasks/{id}/heartbeat", "Runners")]
    [InlineData("post", "/api/tasks/{id}/pr", "Runners")]
    [InlineData("post", "/api/tickets/sync", "Tickets")]
    [InlineData("post", "/api/tickets/linear/discover", "Tickets")]
    [InlineData("post", "/api/webhooks/linear", "Tickets")]
    [InlineData("post", "/api/issues/assign", "Issues")]
    [InlineData("post", "/api/webhooks/github", "Pull requests")]
    [InlineData("get", "/api/webhooks/{id}/deliveries", "Webhooks")]
    [InlineData("post", "/api/slack/test", "Webhooks")]
    [InlineData("patch", "/api/repos/{id}", "Repositories")]
    [InlineData("put", "/api/secrets/{name}", "Secrets")]
    public async Task Routes_are_grouped_by_feature(string method, string path, string tag) =>
        Assert.Equal(tag, (string)Op(await Operations(), method, path)["tags"]![0]!);

    [Fact]
    public async Task Every_api_operation_needs_the_bearer_key_except_the_signed_webhooks_which_need_their_signature()
    {
        var doc = await Document();
        var schemes = doc["components"]!["securitySchemes"]!.AsObject();
        Assert.Equal("http", (string)schemes["ApiKey"]!["type"]!);
        Assert.Equal("bearer", (string)schemes["ApiKey"]!["scheme"]!);
        foreach (var header in new[] { "X-Hub-Signature-256", "Linear-Signature" })
        {
            Assert.Equal("apiKey", (string)schemes[header]!["type"]!);
            Assert.Equal("header", (string)schemes[header]!["in"]!);
            Assert.Equal(header, (string)schemes[header]!["name"]!);
        }

        foreach (var (method, path, op) in await Operations())
        {
            var expected = (method, path) switch
            {
                ("post", "/api/webhooks/github") => "X-Hub-Signature-256",
                ("post", "/api/webhooks/linear") => "Linear-Signature",
                _ => "ApiKey",
            };
            var required = op["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToList() ?? [];
            Assert.True(required.SequenceEqual([expected]), $"{method} {path} requires [{string.Join(", ", required)}], not {expected}");
        }
    }

    [Fact]
    public async Task Every_operation_documents_its_401_and_each_problem_as_problem_json()
    {
        Assert.NotNull((await Document())["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["detail"]);
        foreach (var (method, path, op) in await Operations())
        {
            var responses = op["responses"]!.AsObject();
            Assert.True(responses.ContainsKey("401"), $"{method} {path} has no 401");
            Assert.Contains(responses, r => r.Key.StartsWith('2'));
            foreach (var (status, response) in responses.Where(r => int.Parse(r.Key) >= 400))
            {
                var content = response!["content"]?.AsObject();
                Assert.True(content?.ContainsKey("application/problem+json") == true, $"{method} {path} {status} is not application/problem+json");
                Assert.EndsWith("ProblemDetails", (string)content!["application/problem+json"]!["schema"]!["$ref"]!);
            }
            Assert.DoesNotContain(responses, r => r.Value!["content"]?["application/json"]?["schema"]?["$ref"]?.ToString().EndsWith("/IResult") == true);
        }
    }

    [Theory]
    [InlineData("post", "/api/tasks", "201 400 401 413 503")]
    [InlineData("post", "/api/tasks/claim", "200 204 400 401 413 503")]
    [InlineData("post", "/api/tasks/{id}/start", "200 400 401 404 409 412 413 503")]
    [InlineData("get", "/api/tasks/{id}", "200 400 401 404 503")]
    [InlineData("delete", "/api/repos/{id}", "204 400 401 404 503")]
    [InlineData("post", "/api/repos", "201 400 401 409 413 503")]
    [InlineData("post", "/api/webhooks/deliveries/{deliveryId}/redeliver", "202 400 401 404 409 503")]
    [InlineData("post", "/api/issues/assign", "200 201 400 401 404 409 413 502 503 504")]
    [InlineData("post", "/api/tickets/linear/discover", "200 400 401 413 502 503 504")]
    [InlineData("post", "/api/webhooks/github", "200 202 400 401 403 413 503")]
    public async Task An_operation_lists_the_statuses_its_endpoint_answers(string method, string path, string statuses) =>
        Assert.Equal(statuses, string.Join(' ', Op(await Operations(), method, path)["responses"]!.AsObject().Select(r => r.Key)));

    [Fact]
    public void Every_api_endpoint_declares_the_statuses_it_answers()
    {
        // The document can only be as honest as the declarations: a new endpoint without one fails here.
        var undeclared = api.Host.Services.GetServices<EndpointDataSource>().SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.OrdinalIgnoreCase) == true)
            .Where(e => e.Metadata.GetMetadata<ApiResponsesAttribute>() is null)
            .Select(e => e.RoutePattern.RawText).ToList();
        Assert.True(undeclared.Count == 0, $"No [ApiResponses] on: {string.Join(", ", undeclared)}");
    }

    [Theory]
    [InlineData("post", "/api/tasks", "201", 1)]
    [InlineData("post", "/api/tasks/claim", "200", 2)]
    [InlineData("post", "/api/tasks/{id}/pr", "200", 1)]
    [InlineData("post", "/api/tickets/providers", "201", 3)]
    [InlineData("post", "/api/webhooks", "201", 2)]
    [InlineData("post", "/api/issues/assign", "201", 2)]
    public async Task The_main_routes_show_request_and_response_examples(string method, string path, string status, int requests)
    {
        var op = Op(await Operations(), method, path);
        var examples = op["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();
        Assert.Equal(requests, examples.Count);
        Assert.All(examples, e => Assert.IsType<JsonObject>(e.Value!["value"]));
        Assert.IsType<JsonObject>(op["responses"]![status]!["content"]!["application/json"]!["example"]);
    }

    [Fact]
    public async Task The_provider_examples_show_a_github_and_a_linear_provider()
    {
        var examples = Op(await Operations(), "post", "/api/tickets/providers")["requestBody"]!["content"]!["application/json"]!["examples"]!.AsObject();
        var sources = examples.Select(e => (string)e.Value!["value"]!["source"]!).ToList();
        Assert.Contains("github", sources);
        Assert.Contains("linear", sources);
    }
}
