namespace Optio.Api.Core.Http;

/// <summary>
/// Routes a third party POSTs to and authenticates by its own signature, not by our API key (GitHub's and
/// Linear's webhooks). Their endpoints read and check the raw body themselves, so the request guard leaves them alone.
/// Each integration adds its own with <see cref="SignedRoutesRegistration.AddSignedRoute"/>.
/// </summary>
public sealed class SignedRoutes(IEnumerable<SignedRoute> routes)
{
    readonly string[] _paths = routes.Select(r => r.Path.TrimEnd('/')).ToArray();

    /// <summary>Exactly a POST to one of the routes; every other route under it (a delivery list) needs the key.</summary>
    public bool Matches(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && _paths.Any(p => string.Equals(request.Path.Value?.TrimEnd('/'), p, StringComparison.OrdinalIgnoreCase));
}

public sealed record SignedRoute(string Path);

public static class SignedRoutesRegistration
{
    public static IServiceCollection AddSignedRoute(this IServiceCollection services, string path)
    {
        services.AddSingleton(new SignedRoute(path));
        services.AddSingleton<SignedRoutes>();
        return services;
    }
}
