using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Linear;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Tickets.Providers;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Tickets.Linear;

/// <param name="ApiKey">A Linear key to look with (used once, never stored or echoed).</param>
/// <param name="ApiKeySecret">Or the name of a stored secret holding one.</param>
/// <param name="ApiUrl">Linear's GraphQL endpoint; <c>Optio:Linear:ApiUrl</c> or Linear's own when absent.</param>
public sealed record DiscoverLinear(string? ApiKey, string? ApiKeySecret, string? ApiUrl);

/// <param name="Labels">The workspace-wide labels (of no team), which any team's issue may carry.</param>
public sealed record LinearWorkspaceView(IReadOnlyList<LinearTeamInfo> Teams, IReadOnlyList<LinearLabelInfo> Labels);

/// <summary>
/// <c>POST /api/tickets/linear/discover</c>: the workspace's teams with their projects, workflow states and labels, and the
/// workspace-wide labels, so a provider can be set up by name. A POST because the key travels in the body, never in a URL.
/// </summary>
public static class DiscoverLinearEndpoint
{
    [ApiResponses(200, 400, 502, 504)]
    [WolverinePost("/api/tickets/linear/discover")]
    public static async Task<IResult> Post(DiscoverLinear body, LinearAccess linear, SecretStore secrets, IConfiguration configuration, HttpContext http)
    {
        if ((body.ApiKey is null) == (body.ApiKeySecret is null))
            return Problems.BadRequest("Send 'apiKey' (a Linear API key) or 'apiKeySecret' (the name of a stored secret holding one), not both.");
        if (body.ApiKey is { } inline && string.IsNullOrWhiteSpace(inline)) return Problems.BadRequest("'apiKey' must not be empty.");
        if (ProviderConfigInput.ParseApiUrl(body.ApiUrl) is { } urlProblem) return Problems.BadRequest(urlProblem);
        var key = body.ApiKey?.Trim();
        if (body.ApiKeySecret is { } secret)
        {
            if (SecretEndpoints.NameProblem(secret) is { } nameProblem) return Problems.BadRequest($"'apiKeySecret': {nameProblem}");
            key = await secrets.GetAsync(secret, http.RequestAborted);
            if (key is null) return Problems.BadRequest($"'apiKeySecret': no secret named '{secret}' is stored (PUT /api/secrets/{secret}).");
        }
        var settings = new LinearSettings(ApiUrlOf(body.ApiUrl, configuration), key!, null, null, ProviderConfigInput.DefaultLabel);
        var client = linear.Client();
        return Results.Ok(new LinearWorkspaceView(
            await client.DiscoverAsync(settings, http.RequestAborted), await client.WorkspaceLabelsAsync(settings, http.RequestAborted)));
    }

    /// <summary>The endpoint asked for, else <c>Optio:Linear:ApiUrl</c>, else Linear's.</summary>
    public static Uri ApiUrlOf(string? asked, IConfiguration configuration) =>
        asked is not null ? new Uri(asked)
        : configuration["Optio:Linear:ApiUrl"] is { Length: > 0 } configured ? new Uri(configured)
        : LinearSettings.DefaultApiUrl;
}
