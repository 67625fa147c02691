using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Optio.Api.Core.Http;

/// <summary>
/// Every <c>/api</c> route needs <c>Authorization: Bearer &lt;key&gt;</c> with a key from
/// <c>Optio:ApiKeys</c>. Keys are compared as SHA-256 digests in constant time and never logged.
/// </summary>
/// <summary>The accepted API keys (<c>Optio:ApiKeys:&lt;n&gt;</c>); blank entries are ignored.</summary>
public sealed class ApiKeysOptions
{
    public const string Section = "Optio";

    public string[] ApiKeys { get; set; } = [];
}

public sealed class ApiKeyAuth
{
    readonly byte[][] _digests;

    public ApiKeyAuth(IOptions<ApiKeysOptions> options)
    {
        _digests = options.Value.ApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k))
            .Select(Digest)
            .ToArray();
    }

    public bool IsConfigured => _digests.Length > 0;

    public bool Accepts(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        var digest = Digest(key);
        var match = false;
        foreach (var known in _digests)
            match |= CryptographicOperations.FixedTimeEquals(known, digest);
        return match;
    }

    /// <summary>The key of a request: the bearer token, or <c>?token=</c> for WebSocket clients.</summary>
    public static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        return request.Path.StartsWithSegments("/ws") ? request.Query["token"].ToString() : null;
    }

    static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

public static class ApiKeyAuthMiddleware
{
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/ws") || context.RequestServices.GetService<SignedRoutes>()?.Matches(context.Request) == true)
        {
            await next(context);
            return;
        }
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuth>();
        if (auth.Accepts(ApiKeyAuth.KeyOf(context.Request)))
        {
            await next(context);
            return;
        }
        var detail = auth.IsConfigured
            ? "Send 'Authorization: Bearer <api key>' with one of the keys configured in Optio:ApiKeys."
            : "No API keys are configured: set Optio:ApiKeys (e.g. env Optio__ApiKeys__0) and send 'Authorization: Bearer <key>'.";
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Write(context, StatusCodes.Status401Unauthorized, "Missing or invalid API key", detail);
    });
}
