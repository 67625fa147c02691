using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Optio.Tests.Fakes;
using static Microsoft.Playwright.Assertions;

namespace Optio.Tests.OperatorConsole;

/// <summary>An operator's day in the console, against the loopback GitHub: connect, add a provider, sync, assign, watch, audit.</summary>
[Collection(ConsoleCollection.Name)]
public class ConsoleWalkTests(ConsoleHost console)
{
    [Fact]
    public async Task From_a_GitHub_provider_to_an_assigned_task_moving_live_and_its_timeline()
    {
        var repo = $"walk{Guid.NewGuid():N}"[..12];
        console.GitHub.AddRepo("acme", repo);
        console.GitHub.AddIssue("acme", repo, "Labelled for Optio", "Sync imports this one", ["optio"]);
        console.GitHub.AddIssue("acme", repo, "Waiting for a person", "Assign this one", ["bug"]);
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();

        await tab.GoToAsync("Repositories", "Repositories");
        await page.GetByLabel("Repository URL").FillAsync($"https://github.com/acme/{repo}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"acme/{repo}" })).ToBeVisibleAsync();

        await tab.GoToAsync("Ticket providers", "Ticket providers");
        await page.GetByLabel("Repositories").FillAsync($"acme/{repo}");
        await page.GetByLabel("Labels").FillAsync("optio");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        var card = page.Locator("article.provider").Filter(new() { HasText = $"acme/{repo}" });
        await Expect(card.Locator(".badge")).ToHaveTextAsync("succeeded");
        await Expect(card.Locator(".counts")).ToContainTextAsync("1 imported");
        var firstSync = await card.Locator(".last-sync time").GetAttributeAsync("datetime");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sync now" }).ClickAsync();
        await Expect(card.Locator(".last-sync time")).Not.ToHaveAttributeAsync("datetime", firstSync!);
        await Expect(card.Locator(".counts")).ToContainTextAsync("0 imported");

        await tab.GoToAsync("Issues", "Issues");
        await page.GetByLabel("Repository").SelectOptionAsync($"acme/{repo}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }).ClickAsync();
        var cards = page.Locator("article.issue");
        await Expect(cards).ToHaveCountAsync(2);
        await Expect(cards.Nth(0).Locator(".issue-title")).ToHaveTextAsync("Waiting for a person"); // unassigned first
        await Expect(cards.Nth(1).Locator(".badge")).ToHaveTextAsync("queued");
        await cards.Nth(0).GetByRole(AriaRole.Button, new() { Name = "Assign to Optio" }).ClickAsync();
        await Expect(cards.Nth(0).Locator(".badge")).ToHaveTextAsync("queued");

        await tab.GoToAsync("Tasks", "Tasks");
        var row = page.Locator("tr").Filter(new() { HasText = "Waiting for a person" });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("queued");
        var taskId = Guid.Parse((await row.GetAttributeAsync("data-task-id"))!);
        await Expect(page.Locator("#live-status")).ToHaveTextAsync("live");

        await Runner.ClaimAsync(console.Http, taskId);
        await Expect(row.Locator(".badge")).ToHaveTextAsync("provisioning");
        (await console.Http.PostAsJsonAsync($"/api/tasks/{taskId}/start", new { runnerId = Runner.Id })).EnsureSuccessStatusCode();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("running");

        await row.GetByRole(AriaRole.Link, new() { Name = "Waiting for a person" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Waiting for a person", Level = 1 })).ToBeVisibleAsync();
        var timeline = page.Locator("table.timeline tbody tr");
        await Expect(timeline.Locator("code").First).ToHaveTextAsync("ticket_imported");
        await Expect(page.Locator("table.timeline")).ToContainTextAsync("task_started");
        await Expect(page.Locator("table.timeline")).ToContainTextAsync($"api:key-0");
        await Expect(page.Locator("dl.details")).ToContainTextAsync($"acme/{repo}#2");
        await Expect(page.Locator("dl.details .badge")).ToHaveTextAsync("running");

        await page.GetByLabel("Show the task as it was at").FillAsync("1");
        await Expect(page.Locator("#version-shown")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^version 1 of"));
        await Expect(page.Locator("dl.details .badge")).ToHaveTextAsync("queued");
        await Expect(page.Locator("table.timeline tr.current")).ToHaveAttributeAsync("data-version", "1");
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_Linear_provider_is_set_up_from_the_teams_projects_and_labels_that_discovery_lists()
    {
        var team = console.Linear.AddTeam($"C{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        team.Name = $"Team {team.Key}";
        team.Projects.Add(new FakeLinearProject { Name = "Checkout revamp" });
        team.Labels.Add(new FakeLinearLabel { Name = "agent-ready" });
        console.Linear.AddIssue(team, "Linear asks for it", ["agent-ready"]);
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();

        await tab.GoToAsync("Ticket providers", "Ticket providers");
        await Expect(page.GetByLabel("Linear API key")).ToBeHiddenAsync();
        await page.GetByLabel("Source").SelectOptionAsync("linear");
        await Expect(page.GetByLabel("Repositories")).ToBeHiddenAsync();
        await page.GetByLabel("API URL").FillAsync(console.Linear.ApiUrl.ToString());
        await page.GetByLabel("Linear API key").FillAsync(FakeLinear.DefaultApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Discover teams" }).ClickAsync();
        await page.GetByLabel("Team").SelectOptionAsync(new SelectOptionValue { Label = $"Team {team.Key} ({team.Key})" });
        await Expect(page.GetByLabel("Project").Locator("option", new() { HasText = "Checkout revamp" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#linear-labels option[value='agent-ready']")).ToHaveCountAsync(1);
        await page.GetByLabel("Label", new() { Exact = true }).FillAsync("agent-ready");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var card = page.Locator("article.provider[data-source='linear']").Filter(new() { HasText = team.Id });
        await Expect(card.Locator(".badge")).ToHaveTextAsync("succeeded");
        await Expect(card.Locator(".counts")).ToContainTextAsync("1 imported");
        await Expect(card).Not.ToContainTextAsync(FakeLinear.DefaultApiKey);
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }

    [Fact]
    public async Task A_ticket_title_made_of_markup_is_shown_as_text_and_runs_nothing()
    {
        const string evil = "<img src=x onerror=alert(1)>";
        var repo = $"xss{Guid.NewGuid():N}"[..12];
        console.GitHub.AddRepo("acme", repo);
        console.GitHub.AddIssue("acme", repo, evil, "<script>alert(2)</script>", ["bug"]);
        (await console.Http.PostAsJsonAsync("/api/repos", new { url = $"https://github.com/acme/{repo}" })).EnsureSuccessStatusCode();
        var tab = await console.OpenAsync();
        var page = tab.Page;
        await tab.SignInAsync();

        await page.GotoAsync($"/#/issues?repo=acme/{repo}");
        var card = page.Locator("article.issue");
        await Expect(card.Locator(".issue-title")).ToHaveTextAsync(evil);
        Assert.Equal(0, await card.Locator("img").CountAsync());
        await card.GetByRole(AriaRole.Button, new() { Name = "Assign to Optio" }).ClickAsync();
        await card.GetByRole(AriaRole.Link, new() { Name = "Open task" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(evil);
        await Expect(page.Locator("pre.prompt")).ToHaveTextAsync("<script>alert(2)</script>");
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        await page.GotoAsync("/#/tasks");
        await Expect(page.Locator("table.tasks").GetByText(evil)).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Empty(tab.Dialogs);
        tab.ShouldHaveNoProblems();
        await page.CloseAsync();
    }
}

/// <summary>What a runner does over HTTP, for the tests that watch a task move.</summary>
static class Runner
{
    public const string Id = "console-runner";

    /// <summary>Claims until this task is the one handed out (other tests' tasks may be older in the queue).</summary>
    public static async Task ClaimAsync(HttpClient http, Guid id)
    {
        for (var i = 0; i < 100; i++)
        {
            var claimed = await http.PostAsJsonAsync("/api/tasks/claim", new { runnerId = Id });
            claimed.EnsureSuccessStatusCode();
            Assert.NotEqual(System.Net.HttpStatusCode.NoContent, claimed.StatusCode);
            if (JsonDocument.Parse(await claimed.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid() == id) return;
        }
        throw new InvalidOperationException($"Task {id} was never claimed.");
    }
}
