using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Wolverine.Http;
using Optio.Api.Core.Database;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Core.Http;

public static class HttpApi
{
    /// <summary>Wolverine.Http with snake_case enums, problem details (client errors logged as such), OpenAPI, health checks and API keys.</summary>
    public static IServiceCollection AddOptioHttpApi(this IServiceCollection services, string connectionString)
    {
        services.AddWolverineHttp();
        services.ConfigureSystemTextJsonForWolverineOrMinimalApi(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // Strict: a number is a JSON number ("leaseSeconds": "300" is a 400), as the OpenAPI document says.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddProblemDetails();
        services.AddClientErrorLogging();
        services.AddExceptionHandler<DatabaseUnavailable>();
        services.AddOptioOpenApi();
        services.AddHealthChecks().AddNpgSql(connectionString, name: "postgresql", tags: ["ready"]);
        services.AddOptioOptions<ApiKeysOptions>(ApiKeysOptions.Section, ApiKeysOptions.Problems);
        services.AddSingleton<ApiKeyAuth>();
        services.AddOptioOptions<OutboundNetworkOptions>(OutboundNetworkOptions.Section, OutboundNetworkOptions.Problems);
        services.AddSingleton<SsrfGuard>();
        return services;
    }

    public static WebApplication MapOptioHttpApi(this WebApplication app)
    {
        app.LogClientErrors();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseApiKeys();
        app.UseRequestGuard();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapOptioApiReference();
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            opts.RejectUnparseableHeaderValues = true;
            opts.ApplyCorrelationIdHeaderToAllEndpoints = true;
            opts.ConfigureEndpoints(ClientErrorLogging.RecordRequestBody);
        });
        return app;
    }
}
