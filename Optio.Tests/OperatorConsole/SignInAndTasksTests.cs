using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Optio.Tests.OperatorConsole;

[Collection(ConsoleCollection.Name)]
public class SignInAndTasksTests(ConsoleHost console)
{
    [Fact]
    public async Task A_wrong_key_is_refused_with_a_message_and_the_right_one_opens_the_console()
    {
        var tab = await console.OpenAsync();
        await tab.SignInAsync("not-a-key");
        await Expect(tab.Page.Locator("#sign-in-error")).ToContainTextAsync("That API key was not accepted");
        await Expect(tab.Page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })).ToBeHiddenAsync();

        await tab.Page.GetByLabel("API key").FillAsync(Hosts.ApiHost.ApiKey);
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(tab.Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        Assert.Equal(Hosts.ApiHost.ApiKey, await tab.Page.EvaluateAsync<string>("sessionStorage.getItem('optio.apiKey')"));
        await tab.Page.CloseAsync();
    }

    [Fact]
    public async Task A_task_row_follows_the_runner_live_and_cancelling_asks_first()
    {
        var title = $"Live row {Guid.NewGuid():N}"[..20];
        var id = await CreateTaskAsync(title);
        var tab = await console.OpenAsync();
        await tab.SignInAsync();
        await tab.GoToAsync("Tasks", "Tasks");
        var row = tab.Page.Locator($"tr[data-task-id='{id}']");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("queued");
        await Expect(tab.Page.Locator("#live-status")).ToHaveTextAsync("live");

        // The runner claims and starts it over HTTP; the row changes without a reload.
        await Runner.ClaimAsync(console.Http, id);
        await Expect(row.Locator(".badge")).ToHaveTextAsync("provisioning");
        (await console.Http.PostAsJsonAsync($"/api/tasks/{id}/start", new { runnerId = Runner.Id })).EnsureSuccessStatusCode();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("running");

        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();
        Assert.Equal("running", await StateAsync(id));
        await row.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("cancelled");
        Assert.Equal("cancelled", await StateAsync(id));

        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await tab.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("queued");
        tab.ShouldHaveNoProblems();
        await tab.Page.CloseAsync();
    }

    [Fact]
    public async Task The_task_list_filters_by_state()
    {
        var queued = await CreateTaskAsync($"Filter q {Guid.NewGuid():N}"[..20]);
        var tab = await console.OpenAsync();
        await tab.SignInAsync();
        await tab.GoToAsync("Tasks", "Tasks");
        await tab.Page.GetByLabel("State").SelectOptionAsync("completed");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(tab.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("state=completed"));
        await Expect(tab.Page.Locator($"tr[data-task-id='{queued}']")).ToHaveCountAsync(0);
        await tab.Page.GetByLabel("State").SelectOptionAsync("queued");
        await tab.Page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(tab.Page.Locator($"tr[data-task-id='{queued}']")).ToHaveCountAsync(1);
        tab.ShouldHaveNoProblems();
        await tab.Page.CloseAsync();
    }

    async Task<Guid> CreateTaskAsync(string title)
    {
        var created = await console.Http.PostAsJsonAsync("/api/tasks", new { title, prompt = "Do it" });
        created.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
    }

    async Task<string> StateAsync(Guid id) =>
        JsonDocument.Parse(await console.Http.GetStringAsync($"/api/tasks/{id}")).RootElement.GetProperty("state").GetString()!;
}
