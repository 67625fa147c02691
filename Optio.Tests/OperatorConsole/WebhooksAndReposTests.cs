using System.Net.Http.Json;
using Microsoft.Playwright;
using Optio.Tests.Fakes;
using static Microsoft.Playwright.Assertions;

namespace Optio.Tests.OperatorConsole;

[Collection(ConsoleCollection.Name)]
public class WebhooksAndReposTests(ConsoleHost console)
{
    [Fact]
    public async Task A_subscription_shows_its_secret_once_then_tests_redelivers_disables_and_is_deleted_after_asking()
    {
        var url = console.Receiver.NewUrl();
        console.Receiver.Enqueue(url, Reply.Fail(503, "warming up"));
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        await tab.GoToAsync("Webhooks", "Webhooks");

        await page.GetByLabel("Endpoint URL").FillAsync(url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Subscribe", Exact = true }).ClickAsync();
        var secret = page.Locator("#secret-once .secret-value");
        await Expect(secret).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        var first = await secret.TextContentAsync();
        var card = page.Locator("article.subscription").Filter(new() { HasText = url });
        await Expect(card.Locator(".badge")).ToHaveTextAsync("enabled");

        await card.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Test ping failed: 503");
        await card.GetByRole(AriaRole.Button, new() { Name = "Send test" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Test ping delivered (200)");
        await page.ReloadAsync();
        await Expect(page.Locator("#secret-once .secret-value")).ToHaveCountAsync(0); // shown once: gone after a reload

        await card.GetByRole(AriaRole.Link, new() { Name = "Deliveries" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Deliveries", Level = 1 })).ToBeVisibleAsync();
        var failed = page.Locator("tr[data-status='failed']");
        await failed.GetByText("1 attempt").ClickAsync();
        await Expect(failed.Locator("ol.attempts")).ToContainTextAsync("failed (503)");
        await Expect(failed.Locator("ol.attempts")).ToContainTextAsync("warming up");
        await failed.GetByRole(AriaRole.Button, new() { Name = "Redeliver" }).ClickAsync();
        await Expect(page.Locator("tr[data-status='failed']")).ToHaveCountAsync(0);
        await console.Receiver.WaitForAsync(url, 3);

        await tab.GoToAsync("Webhooks", "Webhooks");
        await card.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(card.Locator(".badge")).ToHaveTextAsync("disabled");
        await card.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Rotate" }).ClickAsync();
        await Expect(secret).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^whsec_"));
        Assert.NotEqual(first, await secret.TextContentAsync());

        await card.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_repository_turns_Slack_on_with_a_URL_tried_first()
    {
        var repo = $"slk{Guid.NewGuid():N}"[..10];
        console.GitHub.AddRepo("acme", repo);
        (await console.Http.PostAsJsonAsync("/api/repos", new { url = $"https://github.com/acme/{repo}" })).EnsureSuccessStatusCode();
        var slack = console.Receiver.NewUrl("slack");
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        await tab.GoToAsync("Repositories", "Repositories");
        var card = page.Locator("article.repo").Filter(new() { HasText = $"acme/{repo}" });

        await card.GetByLabel("Slack incoming webhook URL").FillAsync(slack);
        await card.GetByRole(AriaRole.Button, new() { Name = "Test Slack" }).ClickAsync();
        await Expect(card).ToContainTextAsync("Slack answered 200");
        Assert.Single(console.Receiver.RequestsTo(slack));

        await card.GetByLabel("Default branch").FillAsync("develop");
        await card.GetByLabel("Slack notifications").CheckAsync();
        await card.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(card.GetByLabel("Slack incoming webhook URL")).ToHaveAttributeAsync("placeholder", new System.Text.RegularExpressions.Regex("^configured"));
        var saved = await console.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/repos");
        var row = saved.EnumerateArray().Single(r => r.GetProperty("name").GetString() == repo);
        Assert.Equal(("develop", true, true), (row.GetProperty("defaultBranch").GetString(), row.GetProperty("slackEnabled").GetBoolean(), row.GetProperty("slackWebhookConfigured").GetBoolean()));
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_refused_request_shows_the_problem_the_api_answered()
    {
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();
        await tab.GoToAsync("Repositories", "Repositories");
        await page.GetByLabel("Repository URL").FillAsync("https://github.com/only-an-owner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();

        var alert = page.Locator("#flash [role=alert]");
        await Expect(alert).ToContainTextAsync("Invalid request: 'url':");
        await Expect(alert).ToContainTextAsync("does not name a repository");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Expect(alert).ToHaveCountAsync(0);
        Assert.DoesNotContain("only-an-owner", await console.Http.GetStringAsync("/api/repos"));
        await page.CloseAsync();
    }
}
