using System.Text.Json;
using Marten;
using Wolverine;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Linear;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Tickets.Linear;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tickets;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Providers;

public sealed record SaveProvider(string? Source, JsonElement? Config, bool? Enabled, string? ApiUrl);

public sealed record UpdateProvider(JsonElement? Config, bool? Enabled, string? ApiUrl);

/// <summary><c>/api/tickets/providers</c>: where tickets come from. Saving or re-enabling one syncs it at once.</summary>
public static class ProviderEndpoints
{
    [ApiResponses(201, 400, 502, 504)]
    [ApiExample(typeof(SaveProviderExample))]
    [WolverinePost("/api/tickets/providers")]
    public static async Task<IResult> Create(SaveProvider body, IDocumentStore store, SecretStore secrets, LinearAccess linear, IMessageBus bus, TimeProvider clock, HttpContext http)
    {
        if (body.Source is not (TicketSource.GitHub or TicketSource.Linear))
            return Problems.BadRequest($"'source' must be 'github' or 'linear'; got '{body.Source}'.");
        if (body.Config is not { } config) return Problems.BadRequest("'config' is required.");
        if (ProviderConfigInput.ParseApiUrl(body.ApiUrl) is { } urlProblem) return Problems.BadRequest(urlProblem);

        var provider = new TicketProvider
        {
            Id = Guid.CreateVersion7(), Source = body.Source, Enabled = body.Enabled ?? true, ApiUrl = body.ApiUrl,
            CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
        };
        if (await ApplyConfigAsync(provider, config, secrets, linear, http.RequestAborted) is { } problem) return problem;

        await using var session = store.LightweightSession();
        session.Insert(provider);
        await session.SaveChangesAsync(http.RequestAborted);
        if (provider.Enabled) await bus.SendAsync(new SyncProvider(provider.Id, "provider saved"));
        return Results.Created($"/api/tickets/providers/{provider.Id}", ProviderView.From(provider, null));
    }

    [ApiResponses(200)]
    [WolverineGet("/api/tickets/providers")]
    public static async Task<IReadOnlyList<ProviderView>> List(IQuerySession session, HttpContext http)
    {
        var providers = await session.Query<TicketProvider>().OrderBy(x => x.CreatedAt).ToListAsync(http.RequestAborted);
        var statuses = (await session.LoadManyAsync<ProviderSyncStatus>(http.RequestAborted, providers.Select(p => p.Id).ToArray()))
            .ToDictionary(s => s.Id);
        return providers.Select(p => ProviderView.From(p, statuses.GetValueOrDefault(p.Id))).ToList();
    }

    [ApiResponses(200, 404)]
    [WolverineGet("/api/tickets/providers/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http)
    {
        if (await session.LoadAsync<TicketProvider>(id, http.RequestAborted) is not { } provider) return Problems.NotFound($"Ticket provider {id}");
        http.Response.Headers.ETag = IfMatch.ETag(provider.Version);
        return Results.Ok(ProviderView.From(provider, await session.LoadAsync<ProviderSyncStatus>(id, http.RequestAborted)));
    }

    /// <summary>Changes what the body names; optimistic like every PATCH (If-Match → 412 when stale, else re-applied on a race).</summary>
    [ApiResponses(200, 400, 404, 409, 412, 502, 504)]
    [WolverinePatch("/api/tickets/providers/{id}")]
    public static async Task<IResult> Update(Guid id, UpdateProvider body, IDocumentStore store, SecretStore secrets, LinearAccess linear, IMessageBus bus, TimeProvider clock, HttpContext http)
    {
        if (ProviderConfigInput.ParseApiUrl(body.ApiUrl) is { } urlProblem) return Problems.BadRequest(urlProblem);
        var reEnabled = false;
        return await VersionedUpdate.ApplyAsync<TicketProvider>(store, id, $"Ticket provider {id}", http,
            async provider =>
            {
                if (body.ApiUrl is not null) provider.ApiUrl = body.ApiUrl; // before the config, whose names are looked up there
                if (body.Config is { } config && await ApplyConfigAsync(provider, config, secrets, linear, http.RequestAborted) is { } problem) return problem;
                reEnabled = body.Enabled == true && !provider.Enabled;
                if (body.Enabled is { } enabled) provider.Enabled = enabled;
                provider.UpdatedAt = clock.GetUtcNow();
                return null;
            },
            async (provider, session) =>
            {
                if (provider.Enabled && (reEnabled || body.Config is not null || body.ApiUrl is not null))
                    await bus.SendAsync(new SyncProvider(provider.Id, reEnabled ? "provider re-enabled" : "provider saved"));
                return Results.Ok(ProviderView.From(provider, await session.LoadAsync<ProviderSyncStatus>(id, http.RequestAborted)));
            });
    }

    [ApiResponses(204, 404)]
    [WolverineDelete("/api/tickets/providers/{id}")]
    public static async Task<IResult> Delete(Guid id, IDocumentStore store, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<TicketProvider>(id, http.RequestAborted) is null) return Problems.NotFound($"Ticket provider {id}");
        session.Delete<TicketProvider>(id);
        session.Delete<ProviderSyncStatus>(id);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>
    /// Validates and applies a config for the provider's source; resolves Linear team/project names to ids and checks a named
    /// label exists; stores an inline Linear key as a secret (only once everything else is valid, so a refused config writes
    /// nothing).
    /// </summary>
    static async Task<IResult?> ApplyConfigAsync(TicketProvider provider, JsonElement config, SecretStore secrets, LinearAccess linearAccess, CancellationToken ct)
    {
        if (provider.Source == TicketSource.GitHub)
        {
            if (ProviderConfigInput.ParseGitHub(config, out var github) is { } error) return Problems.BadRequest(error);
            provider.GitHub = github;
            return null;
        }
        if (ProviderConfigInput.ParseLinear(config, $"linear-provider-{provider.Id:N}-api-key", out var linear, out var inlineKey, out var names) is { } linearError)
            return Problems.BadRequest(linearError);
        if (names.Any)
        {
            var key = inlineKey ?? await secrets.GetAsync(linear!.ApiKeySecret, ct);
            if (key is null)
                return Problems.BadRequest($"'config.apiKeySecret': no secret named '{linear!.ApiKeySecret}' is stored, so the names cannot be looked up in Linear.");
            var settings = new LinearSettings(provider.ApiUrl is { } url ? new Uri(url) : LinearSettings.DefaultApiUrl, key, null, null, linear!.Label);
            var (resolved, problem) = await LinearNameResolver.ResolveAsync(linear, names, settings, linearAccess, ct);
            if (problem is not null) return problem;
            linear = resolved;
        }
        if (inlineKey is not null) await secrets.PutAsync(linear!.ApiKeySecret, inlineKey, ct);
        provider.Linear = linear;
        return null;
    }
}
