using Scalar.AspNetCore;

namespace Optio.Api.Core.Http.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and Scalar's API reference over it (<c>/scalar</c>), both without a key.
/// Scalar's script is embedded in Scalar.AspNetCore and served by this process; its CDN fonts, telemetry and AI agent are
/// off, so the page works offline.
/// </summary>
public static class ApiReference
{
    public const string ScalarPath = "/scalar";

    public static IServiceCollection AddOptioOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, context, _) =>
            {
                document.Info.Title = "Optio API";
                document.Info.Description = "Every /api route takes 'Authorization: Bearer <api key>' (Optio:ApiKeys), except the signed "
                    + "webhooks GitHub and Linear POST to. Errors are RFC 9457 problem details (application/problem+json).";
                ApiTags.Describe(document);
                ApiSecurity.Describe(document, context.ApplicationServices.GetService<SignedRoutes>());
                return Task.CompletedTask;
            });
            o.AddOperationTransformer<ApiResponsesTransformer>();
        });

    public static WebApplication MapOptioApiReference(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference(ScalarPath, o => o
            .WithTitle("Optio API")
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .AddPreferredSecuritySchemes(ApiSecurity.ApiKey));
        return app;
    }
}
