using System.Net.Http.Json;
using System.Text.Json;
using Optio.Tests.Fakes;
using Optio.Tests.Hosts;

namespace Optio.Tests.Runner;

/// <summary>Runner processes against one service: they claim whatever is queued, so their tests take turns.</summary>
[CollectionDefinition(Name)]
public sealed class RunnerCollection : ICollectionFixture<RunnerHost>
{
    public const string Name = "runner";
}

/// <summary>
/// The real Optio service on Kestrel at a loopback port (a runner is a separate process and needs a real socket), with
/// the loopback GitHub fake as its GitHub, on the wall clock (leases run in real time).
/// </summary>
public sealed class RunnerHost : IAsyncLifetime
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    KestrelService service = null!;

    public Uri BaseUrl => service.BaseUrl;
    public HttpClient Http => service.Http;
    public FakeGitHub GitHub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        service = await KestrelService.StartAsync("optio_runner", new Dictionary<string, string>
        {
            ["Optio:GitHub:ApiUrl"] = GitHub.ApiUrl.ToString(),
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio:Leases:SweepInterval"] = "00:00:00.500", // a lease not renewed is taken back within half a second
        });
    }

    public async Task<Guid> CreateTaskAsync(string title, string? repoUrl, string prompt = "Do the thing.")
    {
        using var response = await Http.PostAsJsonAsync("/api/tasks", new { title, prompt, repoUrl });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TaskRead>(Json))!.Id;
    }

    /// <summary>A task born from GitHub issue #1 of <paramref name="repo"/> (connected first), as an operator assigns it.</summary>
    public async Task<Guid> AssignIssueAsync(string owner, string repo)
    {
        (await Http.PostAsJsonAsync("/api/repos", new { url = $"https://github.com/{owner}/{repo}" })).EnsureSuccessStatusCode();
        using var response = await Http.PostAsJsonAsync("/api/issues/assign", new { issueUrl = $"https://github.com/{owner}/{repo}/issues/1", repoUrl = $"https://github.com/{owner}/{repo}" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TaskRead>(Json))!.Id;
    }

    public async Task<TaskRead> TaskAsync(Guid id) => (await Http.GetFromJsonAsync<TaskRead>($"/api/tasks/{id}", Json))!;

    public async Task PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Cancels what a test left queued or claimed, so the next test's runner finds only its own tasks.</summary>
    public async Task CancelLeftoversAsync()
    {
        foreach (var state in new[] { "queued", "provisioning", "running" })
        {
            var page = await Http.GetFromJsonAsync<JsonElement>($"/api/tasks?state={state}&pageSize=200", Json);
            foreach (var task in page.GetProperty("items").EnumerateArray())
                await PostAsync($"/api/tasks/{task.GetProperty("id").GetGuid()}/cancel", new { reason = "test over" });
        }
    }

    public async Task DisposeAsync()
    {
        if (service is not null) await service.DisposeAsync();
        if (GitHub is not null) await GitHub.DisposeAsync();
    }
}

/// <summary>A task as the API answers it, the fields the runner tests read.</summary>
public sealed record TaskRead(Guid Id, string Title, string? RepoUrl, string State, string? RunnerId, string? PrUrl, string? Reason, long Version, TicketRead? Ticket);

public sealed record TicketRead(string Key, string? Url);
