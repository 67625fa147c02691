using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Optio.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Optio.Tests.OperatorConsole;

/// <summary>
/// Every page loads without a console error or CSP violation, at desktop and phone width; each is photographed.
/// The pictures go to <c>$OPTIO_SCREENSHOTS</c> when set (the README's are made with
/// <c>OPTIO_SCREENSHOTS=$PWD/docs/screenshots dotnet test Optio.Tests --filter FullyQualifiedName~PageTour</c>), else into the run's scratch directory.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class PageTourTests(ConsoleHost console)
{
    static readonly string Pictures = Environment.GetEnvironmentVariable("OPTIO_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(TestRun.Directory, "screenshots");

    [Fact]
    public async Task Every_page_loads_without_errors_at_desktop_and_phone_width()
    {
        var (taskId, subscriptionId) = await SomethingToShowAsync();
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        (string Name, string Hash, string Heading)[] pages =
        [
            ("overview", "#/overview", "Overview"), ("tasks", "#/tasks", "Tasks"), ("task", $"#/tasks/{taskId}", "Fix the flaky login test"),
            ("issues", "#/issues", "Issues"), ("providers", "#/providers", "Ticket providers"), ("repos", "#/repos", "Repositories"),
            ("webhooks", "#/webhooks", "Webhooks"), ("deliveries", $"#/webhooks/{subscriptionId}", "Deliveries"),
        ];
        Directory.CreateDirectory(Pictures);
        foreach (var (width, height, suffix) in new[] { (1280, 800, ""), (390, 844, "-phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var (name, hash, heading) in pages)
            {
                await page.GotoAsync($"/{hash}");
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");
                Assert.False(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth + 1"), $"{name} scrolls sideways at {width} px");
                if (suffix == "" || name is "tasks" or "task")
                    await page.ScreenshotAsync(new() { Path = Path.Combine(Pictures, $"{name}{suffix}.png"), FullPage = suffix == "" });
            }
        }
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    [Fact]
    public async Task The_controls_are_labelled_and_reachable_by_keyboard()
    {
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        foreach (var hash in new[] { "#/tasks", "#/providers", "#/repos", "#/webhooks", "#/issues" })
        {
            await page.GotoAsync($"/{hash}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var unlabelled = await page.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('main input, main select, main textarea')]
                  .filter(c => c.type !== 'hidden' && !(c.labels && c.labels.length) && !c.getAttribute('aria-label'))
                  .map(c => c.name || c.id || c.outerHTML)
                """);
            Assert.True(unlabelled.Length == 0, $"{hash}: controls without a label: {string.Join(", ", unlabelled)}");
        }
        // Keyboard only: the skip link moves focus to the page without leaving it; tab into the navigation, open a section with Enter.
        await page.GotoAsync("/#/webhooks");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();
        await page.Locator(".skip").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("document.activeElement.id"));
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/webhooks$"));
        await page.GotoAsync("/#/overview");
        await page.ReloadAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tasks", Level = 1 })).ToBeVisibleAsync();
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    /// <summary>A repo with a provider and open issues, tasks in several states, a subscription with failed deliveries.</summary>
    async Task<(Guid Task, Guid Subscription)> SomethingToShowAsync()
    {
        var http = console.Http;
        var repo = $"shop{Guid.NewGuid():N}"[..10];
        console.GitHub.AddRepo("acme", repo);
        console.GitHub.AddIssue("acme", repo, "Checkout button is hidden on small screens", "", ["optio", "ui"]);
        console.GitHub.AddIssue("acme", repo, "Add dark mode", "", ["enhancement"]);
        console.GitHub.AddIssue("acme", repo, "Upgrade to .NET 10", "", ["chore"]);
        (await http.PostAsJsonAsync("/api/repos", new { url = $"https://github.com/acme/{repo}" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/tickets/providers", new { source = "github", config = new { repos = new[] { $"acme/{repo}" }, labels = new[] { "optio" } }, enabled = true }))
            .EnsureSuccessStatusCode();
        var hook = await http.PostAsJsonAsync("/api/webhooks", new { url = "http://127.0.0.1:9/optio", events = new[] { "*" } });
        hook.EnsureSuccessStatusCode();
        var subscription = JsonDocument.Parse(await hook.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();

        var shown = await NewTaskAsync("Fix the flaky login test", $"https://github.com/acme/{repo}");
        await Runner.ClaimAsync(http, shown);
        (await http.PostAsJsonAsync($"/api/tasks/{shown}/start", new { runnerId = Runner.Id })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync($"/api/tasks/{shown}/pr", new { prUrl = $"https://github.com/acme/{repo}/pull/7" })).EnsureSuccessStatusCode();
        var failed = await NewTaskAsync("Migrate the billing cron", null);
        (await http.PostAsJsonAsync($"/api/tasks/{failed}/fail", new { reason = "tests would not pass" })).EnsureSuccessStatusCode();
        await NewTaskAsync("Write the release notes", null);
        await http.PostAsync($"/api/webhooks/{subscription}/test", null);
        return (shown, subscription);
    }

    async Task<Guid> NewTaskAsync(string title, string? repoUrl)
    {
        var created = await console.Http.PostAsJsonAsync("/api/tasks", new { title, prompt = $"{title}.", repoUrl });
        created.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }
}
