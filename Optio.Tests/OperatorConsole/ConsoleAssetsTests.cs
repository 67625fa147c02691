using Optio.Tests.Hosts;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.OperatorConsole;

/// <summary>What the service answers for the console's files, before any browser runs them.</summary>
[Collection(ConsoleCollection.Name)]
public class ConsoleAssetsTests(ConsoleHost console)
{
    [Fact]
    public async Task The_console_is_served_at_the_root_under_a_strict_content_security_policy()
    {
        using var anonymous = new HttpClient { BaseAddress = console.BaseUrl };
        var page = await anonymous.GetAsync("/");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains($"connect-src 'self' ws://{console.BaseUrl.Authority} wss://{console.BaseUrl.Authority};", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", html);
        Assert.DoesNotContain(" style=", html);
    }

    [Theory]
    [InlineData("/js/app.js", "text/javascript")]
    [InlineData("/js/pages/tasks.js", "text/javascript")]
    [InlineData("/console.css", "text/css")]
    public async Task Its_modules_and_stylesheet_are_served_with_their_types(string path, string type)
    {
        using var anonymous = new HttpClient { BaseAddress = console.BaseUrl };
        var file = await anonymous.GetAsync(path);
        Assert.Equal(System.Net.HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(type, file.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", string.Join("", file.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task The_api_still_needs_a_key_and_answers_problems_not_the_console()
    {
        using var anonymous = new HttpClient { BaseAddress = console.BaseUrl };
        var api = await anonymous.GetAsync("/api/tasks");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType!.MediaType);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await anonymous.GetAsync("/no-such-file.js")).StatusCode);
    }

    [Fact]
    public async Task The_built_service_serves_the_console_from_its_assembly_wherever_it_runs()
    {
        // Its own process, started in the build output (not the project directory): the files travel inside Optio.Api.dll.
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, await TestPostgres.NewDatabaseAsync("optio_console_built"));
        var page = await service.Http.GetStringAsync("/");
        Assert.Contains("<script type=\"module\" src=\"/js/app.js\"></script>", page);
        Assert.Contains("export async function render", await service.Http.GetStringAsync("/js/pages/overview.js"));
    }
}
