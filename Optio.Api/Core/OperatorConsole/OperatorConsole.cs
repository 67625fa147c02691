using Microsoft.Extensions.FileProviders;

namespace Optio.Api.Core.OperatorConsole;

/// <summary>
/// The operator console: the static HTML, CSS and ES modules under <c>site/</c>, embedded in the assembly so
/// <c>dotnet run</c>, the test host and a published build all serve the same files with no build step. Served at
/// <c>/</c> under a strict Content-Security-Policy (no inline script or style; scripts, styles, fetches and the live
/// stream from this origin only). The pages call the public API with the key the operator signs in with.
/// </summary>
public static class OperatorConsoleEndpoints
{
    public const string IndexPage = "/index.html";

    public static WebApplication MapOptioConsole(this WebApplication app)
    {
        var files = new EmbeddedFileProvider(typeof(OperatorConsoleEndpoints).Assembly, $"{typeof(OperatorConsoleEndpoints).Namespace}.site");
        app.Use((context, next) =>
        {
            if (context.Request.Path == "/") context.Request.Path = IndexPage;
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = served => Secure(served.Context.Response, served.Context.Request),
        });
        return app;
    }

    /// <summary>The headers of every console file: what the browser may load and run, and that it must ask again after a deploy.</summary>
    static void Secure(HttpResponse response, HttpRequest request)
    {
        var host = request.Host.Value;
        response.Headers.ContentSecurityPolicy =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
            $"connect-src 'self' ws://{host} wss://{host}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }
}
