using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Optio.Api.Core.Audit;

namespace Optio.Api.Core.Http;

/// <summary>
/// The accepted API keys by name: <c>Optio:ApiKeys:&lt;name&gt;=&lt;key&gt;</c>. The list form (<c>Optio:ApiKeys:0</c>,
/// a JSON array) keeps working: its entries are named <c>key-0</c>, <c>key-1</c>, …. Blank entries are ignored.
/// </summary>
public sealed partial class ApiKeysOptions
{
    public const string Section = "Optio";

    public Dictionary<string, string> ApiKeys { get; set; } = [];

    /// <summary>The name an entry is known by in the audit trail: its own, or <c>key-&lt;n&gt;</c> for a list entry.</summary>
    public static string NameOf(string configured) => configured.All(char.IsAsciiDigit) ? $"key-{configured}" : configured;

    internal static IEnumerable<string> Problems(ApiKeysOptions o, string section)
    {
        foreach (var name in o.ApiKeys.Keys.Where(n => !ValidName().IsMatch(n)))
            yield return $"{section}:ApiKeys:{name}: a key's name is up to 64 letters, digits, '.', '_' or '-' (it is recorded on every event the key causes)";
        foreach (var group in o.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k.Value)).GroupBy(k => NameOf(k.Key)).Where(g => g.Count() > 1))
            yield return $"{section}:ApiKeys: two keys are both named '{group.Key}'; rename one";
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex ValidName();
}

/// <summary>
/// Every <c>/api</c> route needs <c>Authorization: Bearer &lt;key&gt;</c> with a key from <c>Optio:ApiKeys</c>. Keys are
/// compared as SHA-256 digests in constant time; only their names are kept, logged and recorded.
/// </summary>
public sealed class ApiKeyAuth
{
    readonly (string Name, byte[] Digest)[] _keys;

    public ApiKeyAuth(IOptions<ApiKeysOptions> options)
    {
        _keys = options.Value.ApiKeys
            .Where(k => !string.IsNullOrWhiteSpace(k.Value))
            .Select(k => (ApiKeysOptions.NameOf(k.Key), Digest(k.Value)))
            .ToArray();
    }

    public bool IsConfigured => _keys.Length > 0;

    public bool Accepts(string? key) => NameOf(key) is not null;

    /// <summary>The name of the configured key <paramref name="key"/> is, or null. Every key is compared, whichever matches.</summary>
    public string? NameOf(string? key)
    {
        if (string.IsNullOrEmpty(key)) return null;
        var digest = Digest(key);
        string? name = null;
        foreach (var known in _keys)
            if (CryptographicOperations.FixedTimeEquals(known.Digest, digest)) name ??= known.Name;
        return name;
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
    /// <summary>The response header naming the request, as recorded in the <c>cause</c> of the events it wrote.</summary>
    public const string RequestIdHeader = "X-Request-Id";

    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api") && !path.StartsWithSegments("/ws") || context.RequestServices.GetService<SignedRoutes>()?.Matches(context.Request) == true)
        {
            await next(context);
            return;
        }
        var auth = context.RequestServices.GetRequiredService<ApiKeyAuth>();
        if (auth.NameOf(ApiKeyAuth.KeyOf(context.Request)) is { } name)
        {
            context.Response.Headers[RequestIdHeader] = context.TraceIdentifier;
            using (Actors.ActAs(Actor.Api(name, context.TraceIdentifier)))
                await next(context);
            return;
        }
        var detail = auth.IsConfigured
            ? "Send 'Authorization: Bearer <api key>' with one of the keys configured in Optio:ApiKeys."
            : "No API keys are configured: set Optio:ApiKeys:<name> (e.g. env Optio__ApiKeys__ops) and send 'Authorization: Bearer <key>'.";
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await Problems.Write(context, StatusCodes.Status401Unauthorized, "Missing or invalid API key", detail);
    });
}
