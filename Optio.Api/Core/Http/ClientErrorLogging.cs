using Wolverine.Http;

namespace Optio.Api.Core.Http;

/// <summary>
/// A client's mistake (a 4xx) is not a fault of the service: it is logged as one Information line, and only
/// a fault (5xx, an unhandled exception) is an Error. Wolverine.Http logs a request body it cannot
/// deserialize as an Error with the stack trace, under the body type's name (<c>ILogger&lt;CreateTask&gt;</c>),
/// which no Optio code logs under: those entries are filtered out, and the 400 is logged here instead.
/// </summary>
public static class ClientErrorLogging
{
    const string Category = "Optio.Api.ClientErrors";

    /// <summary>The names of the types Wolverine.Http reads request bodies into, known once the endpoints are mapped.</summary>
    sealed class RequestBodyCategories
    {
        public volatile HashSet<string> Names = [];
    }

    static readonly RequestBodyCategories Bodies = new();

    public static IServiceCollection AddClientErrorLogging(this IServiceCollection services) =>
        services.AddLogging(b => b.AddFilter((_, category, level) =>
            level < LogLevel.Error || category is null || !Bodies.Names.Contains(category)));

    /// <summary>For <c>ConfigureEndpoints</c>: remembers the type the endpoint reads its body into.</summary>
    public static void RecordRequestBody(HttpChain chain)
    {
        if (chain.RequestType?.FullName is { } name) Bodies.Names = [.. Bodies.Names, name];
    }

    /// <summary>Middleware: a 4xx answer is one Information line naming the request and the status; no stack trace.</summary>
    public static IApplicationBuilder LogClientErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        await next(context);
        var status = context.Response.StatusCode;
        if (status is >= 400 and < 500)
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category)
                .LogInformation("{Method} {Path} answered {Status}: refused as a client error", context.Request.Method, context.Request.Path, status);
    });
}
