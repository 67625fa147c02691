namespace Optio.Api.Core.Http;

/// <summary>
/// Routes a third party POSTs to and authenticates by its own signature, not by our API key (GitHub's and
/// Linear's webhooks). Their endpoints read and check the raw body themselves, so the request guard leaves them alone.
/// Each integration adds its own with <see cref="SignedRoutesRegistration.AddSignedRoute"/>.
/// </summary>
public sealed class SignedRoutes(IEnumerable<SignedRoute> routes)
{
    readonly string[] _paths = routes.Select(r => r.Path.TrimEnd('/')).ToArray();

    /// <summary>The routes, each with the header its signature comes in (the OpenAPI document declares it instead of the key).</summary>
    public IReadOnlyList<SignedRoute> All { get; } = routes.ToList();

    /// <summary>Exactly a POST to one of the routes; every other route under it (a delivery list) needs the key.</summary>
    public bool Matches(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && _paths.Any(p => string.Equals(request.Path.Value?.TrimEnd('/'), p, StringComparison.OrdinalIgnoreCase));
}

/// <param name="SignatureHeader">The header carrying the sender's signature of the raw body, e.g. <c>X-Hub-Signature-256</c>.</param>
public sealed record SignedRoute(string Path, string SignatureHeader);

public static class SignedRoutesRegistration
{
    public static IServiceCollection AddSignedRoute(this IServiceCollection services, string path, string signatureHeader)
    {
        services.AddSingleton(new SignedRoute(path, signatureHeader));
        services.AddSingleton<SignedRoutes>();
        return services;
    }
}
