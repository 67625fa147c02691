using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Optio.Api.Core.Http.OpenApi;

/// <summary>
/// How a caller authenticates, as <see cref="ApiKeyAuthMiddleware"/> and <see cref="SignedRoutes"/> decide it: every
/// <c>/api</c> route takes <c>Authorization: Bearer &lt;key&gt;</c>, except the signed webhook routes, which take the
/// sender's HMAC signature in their own header. So Scalar's "Try it" asks for, and sends, the right one.
/// </summary>
public static class ApiSecurity
{
    public const string ApiKey = "ApiKey";

    internal static void Describe(OpenApiDocument document, SignedRoutes? signed)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key from Optio:ApiKeys (e.g. env Optio__ApiKeys__ops=<key>), sent as 'Authorization: Bearer <key>'.",
        };
        foreach (var route in signed?.All ?? [])
            document.Components.SecuritySchemes[route.SignatureHeader] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = route.SignatureHeader,
                Description = $"POST {route.Path} is signed by its sender, not called with the API key: {route.SignatureHeader} is the HMAC-SHA256 "
                    + "of the raw body keyed by the webhook secret stored in Optio.",
            };
    }

    /// <summary>The scheme of an operation: its route's signature header, the API key for any other /api route, none outside /api.</summary>
    internal static string? SchemeOf(string method, string route, SignedRoutes? signed)
    {
        route = "/" + route.Trim('/');
        if (!route.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)) return null;
        var signedRoute = HttpMethods.IsPost(method)
            ? signed?.All.FirstOrDefault(r => string.Equals(r.Path.TrimEnd('/'), route, StringComparison.OrdinalIgnoreCase))
            : null;
        return signedRoute?.SignatureHeader ?? ApiKey;
    }

    internal static void Require(OpenApiOperation operation, string scheme, OpenApiOperationTransformerContext context) =>
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
}
