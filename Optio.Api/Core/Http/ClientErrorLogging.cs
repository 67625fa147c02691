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

    /// <summary>
    /// Adds the suppression to every configured rule rather than as a rule of its own: a logger obeys one rule (the most
    /// specific, the last among equals), so a catch-all filter rule would replace the configured levels and let every
    /// Trace line through.
    /// </summary>
    public static IServiceCollection AddClientErrorLogging(this IServiceCollection services)
    {
        services.AddOptions<LoggerFilterOptions>().PostConfigure(options =>
        {
            var rules = options.Rules.Select(rule => new LoggerFilterRule(rule.ProviderName, rule.CategoryName, rule.LogLevel,
                (provider, category, level) => NotARequestBodyError(category, level) && (rule.Filter?.Invoke(provider, category, level) ?? true))).ToList();
            // Loggers no configured rule matches fall back to the minimum level: the same, with the suppression.
            rules.Insert(0, new LoggerFilterRule(null, null, options.MinLevel, (_, category, level) => NotARequestBodyError(category, level)));
            options.Rules.Clear();
            foreach (var rule in rules) options.Rules.Add(rule);
        });
        return services;
    }

    static bool NotARequestBodyError(string? category, LogLevel level) =>
        level < LogLevel.Error || category is null || !Bodies.Names.Contains(category);

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
