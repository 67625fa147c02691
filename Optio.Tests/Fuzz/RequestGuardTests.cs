using System.Text;
using Alba;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Fuzz;

/// <summary>The one rule at the door: text PostgreSQL cannot store, over-long fields, loose types and big bodies are 4xx problems that name the field and write nothing.</summary>
[Trait("Category", "Faults")]
[Collection(TasksCollection.Name)]
public class RequestGuardTests(ApiHost api)
{
    IAlbaHost Host => api.Host;

    [Theory]
    [InlineData("/api/tasks", """{"title":"Fix\u0000it","prompt":"p"}""", "title")]
    [InlineData("/api/tasks/claim", """{"runnerId":"runner\u0000"}""", "runnerId")]
    [InlineData("/api/repos", """{"url":"https://github.com/acme/nul","defaultBranch":"ma\u0000in"}""", "defaultBranch")]
    [InlineData("/api/webhooks", """{"url":"https://hooks.example.com/x","events":["task.completed\u0000"]}""", "events")]
    public async Task The_NUL_character_is_a_400_naming_the_field(string route, string body, string field)
    {
        var detail = await RefusedAsync(route, Encoding.UTF8.GetBytes(body), 400);
        Assert.Contains($"'{field}'", detail);
        Assert.Contains("NUL", detail);
    }

    [Theory]
    [InlineData("runnerId", 200)]
    [InlineData("title", 1_000)]
    [InlineData("prompt", 65_536)]
    public async Task A_field_over_its_limit_is_a_400_saying_the_limit(string field, int limit)
    {
        var fields = new Dictionary<string, string> { ["title"] = "t", ["prompt"] = "p", ["runnerId"] = "r", [field] = new string('x', limit + 1) };
        var route = field == "runnerId" ? "/api/tasks/claim" : "/api/tasks";
        var detail = await RefusedAsync(route, Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(fields)), 400);
        Assert.Contains($"'{field}'", detail);
        Assert.Contains($"at most {limit}", detail);
    }

    [Fact]
    public async Task A_field_at_its_limit_is_accepted()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { title = new string('t', 1_000), prompt = new string('p', 65_536) });
        await Host.Scenario(s => { s.Post.Text(body).ToUrl("/api/tasks"); s.WithRequestHeader("Content-Type", "application/json"); s.StatusCodeShouldBe(201); });
    }

    [Fact]
    public async Task A_number_sent_as_a_string_is_a_400()
    {
        var detail = await RefusedAsync("/api/tasks/claim", """{"runnerId":"r","leaseSeconds":"300"}"""u8.ToArray(), 400);
        Assert.Contains("leaseSeconds", detail);
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400()
    {
        byte[] body = [.. "{\"title\":\""u8, 0xC3, 0x28, .. "\",\"prompt\":\"p\"}"u8];
        var detail = await RefusedAsync("/api/tasks", body, 400);
        Assert.Contains("'title'", detail);
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_a_413()
    {
        var body = Encoding.UTF8.GetBytes("{\"title\":\"t\",\"prompt\":\"" + new string('p', 1_100_000) + "\"}");
        var detail = await RefusedAsync("/api/tasks", body, 413);
        Assert.Contains("1024 KB", detail);
    }

    [Fact]
    public async Task NUL_in_a_query_value_is_a_400()
    {
        var result = await Host.Scenario(s => { s.Get.Url("/api/tasks?repo=acme%00webapp"); s.StatusCodeShouldBe(400); });
        Assert.Contains("'repo'", await result.ReadAsTextAsync());
    }

    async Task<string> RefusedAsync(string route, byte[] body, int status)
    {
        var before = await StoredRows.CountAsync(api.ConnectionString);
        var result = await Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = route;
                c.Request.Body = new MemoryStream(body);
                c.Request.ContentLength = body.Length;
                c.Request.ContentType = "application/json";
            });
            s.StatusCodeShouldBe(status);
        });
        Assert.Equal("application/problem+json", result.Context.Response.ContentType);
        Assert.Equal(before, await StoredRows.CountAsync(api.ConnectionString));
        return await result.ReadAsTextAsync();
    }
}
