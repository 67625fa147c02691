using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Infrastructure;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Sync;

namespace Optio.Tests.Tickets;

/// <summary>Provider verbs for ticket scenarios.</summary>
public static class TicketsApi
{
    public static async Task<Guid> CreateGitHubProviderAsync(this TicketsHost api, string repo, string[]? labels = null, string? assignee = null,
        bool? publishStatus = null)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { repo }, labels, assignee, publishStatus }, apiUrl = api.GitHub.ApiUrl.ToString() })
                .ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<Guid> CreateLinearProviderAsync(this TicketsHost api, string teamId, string? projectId = null, string? label = null,
        bool? publishStatus = null)
    {
        var result = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { source = "linear", config = new { apiKey = Fakes.FakeLinear.DefaultApiKey, teamId, projectId, label, publishStatus }, apiUrl = api.Linear.ApiUrl.ToString() })
                .ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("id").GetGuid();
    }

    public static async Task<ProviderStatusView> StatusAsync(this TicketsHost api, Guid providerId) =>
        (await api.Host.GetAsJson<ProviderView>($"/api/tickets/providers/{providerId}"))!.Status;

    /// <summary>Waits for the sync that saving a provider starts by itself.</summary>
    public static Task<ProviderStatusView> FirstSyncAsync(this TicketsHost api, Guid providerId) =>
        Eventually.Until(() => api.StatusAsync(providerId), s => s.LastSyncFinishedAt is not null, what: "the first sync");

    /// <summary>Runs a sync now, waiting out one already running elsewhere.</summary>
    public static async Task<SyncOutcome> SyncNowAsync(this TicketsHost api, Guid providerId)
    {
        var sync = api.Host.Services.GetRequiredService<ProviderSync>();
        for (var i = 0; i < 100; i++)
        {
            var outcome = await sync.RunAsync(providerId, "test", default);
            if (outcome != SyncOutcome.Busy) return outcome;
            await Task.Delay(100); // a scheduled sync holds the provider's lock: retry once it lets go
        }
        throw new TimeoutException("The provider stayed busy.");
    }
}
