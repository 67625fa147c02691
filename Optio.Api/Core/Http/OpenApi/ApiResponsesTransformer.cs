using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Optio.Api.Core.Http.OpenApi;

/// <summary>
/// Makes each operation say what the endpoint really answers: its tag, its security, the statuses of its
/// <see cref="ApiResponsesAttribute"/> plus those every <c>/api</c> route can answer, every problem as
/// <c>application/problem+json</c>, and its <see cref="ApiExample"/>. Statuses nobody declared (Wolverine's blanket 404,
/// a 200 where the endpoint answers 201) are dropped.
/// </summary>
public sealed class ApiResponsesTransformer : IOpenApiOperationTransformer
{
    public const string ProblemJson = "application/problem+json";

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var method = description.HttpMethod ?? "GET";
        var route = description.RelativePath ?? "";
        var metadata = description.ActionDescriptor.EndpointMetadata;

        ApiTags.Tag(operation, context);
        // Wolverine fills both with the operation id ("POST_api_tasks"): say nothing rather than that.
        if (operation.Summary == operation.OperationId) operation.Summary = null;
        if (operation.Description == operation.OperationId) operation.Description = null;

        var scheme = ApiSecurity.SchemeOf(method, route, context.ApplicationServices.GetService<SignedRoutes>());
        if (scheme is null) return;
        ApiSecurity.Require(operation, scheme, context);

        var declared = metadata.OfType<ApiResponsesAttribute>().SelectMany(a => a.Statuses).ToHashSet();
        declared.Add(StatusCodes.Status401Unauthorized);
        declared.Add(StatusCodes.Status503ServiceUnavailable);
        if (scheme == ApiSecurity.ApiKey)
        {
            declared.Add(StatusCodes.Status400BadRequest); // the request guard checks every query string
            if (operation.RequestBody is not null) declared.Add(StatusCodes.Status413PayloadTooLarge);
        }
        if (!declared.Any(s => s is >= 200 and < 300)) declared.Add(StatusCodes.Status200OK);

        var problem = await ProblemSchema(context, cancellationToken);
        var existing = operation.Responses ?? new OpenApiResponses();
        var responses = new OpenApiResponses();
        foreach (var status in declared.Order())
        {
            var key = status.ToString();
            if (status >= 400)
                responses[key] = new OpenApiResponse
                {
                    Description = ProblemText(status, scheme),
                    Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = problem } },
                };
            else
                responses[key] = Success(status, existing.TryGetValue(key, out var known) ? known : null);
        }
        operation.Responses = responses;

        foreach (var example in metadata.OfType<ApiExampleAttribute>().Select(a => a.Example))
            ApplyExample(operation, example);
    }

    /// <summary>One ProblemDetails schema in the components, referenced by every problem response.</summary>
    static async Task<IOpenApiSchema> ProblemSchema(OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(nameof(ProblemDetails)))
            document.Components.Schemas[nameof(ProblemDetails)] = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        return new OpenApiSchemaReference(nameof(ProblemDetails), document);
    }

    /// <summary>Wolverine describes an endpoint returning <c>IResult</c> as a 200 of schema "IResult": keep a real schema, drop that one.</summary>
    static OpenApiResponse Success(int status, IOpenApiResponse? known)
    {
        var response = new OpenApiResponse { Description = ReasonPhrases.GetReasonPhrase(status) };
        if (status == StatusCodes.Status204NoContent || known?.Content is null) return response;
        var content = known.Content
            .Where(c => c.Value.Schema is not OpenApiSchemaReference { Reference.Id: "IResult" })
            .ToDictionary(c => c.Key, c => c.Value);
        if (content.Count > 0) response.Content = content;
        return response;
    }

    static string ProblemText(int status, string scheme) => status switch
    {
        401 when scheme == ApiSecurity.ApiKey => "Missing or invalid API key ('Authorization: Bearer <key>').",
        401 => $"{scheme} is missing or does not match the body (or the delivery is stale).",
        400 => "Invalid request: the detail names the field (malformed JSON, a wrong type, text over its limit, NUL).",
        413 => "Payload too large.",
        503 => "PostgreSQL (or an upstream's rate limit) is unavailable: retry after Retry-After. Nothing was written.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };

    static void ApplyExample(OpenApiOperation operation, ApiExample example)
    {
        if (example.Requests.Count > 0 && operation.RequestBody?.Content is { } requestContent
            && requestContent.TryGetValue("application/json", out var request))
        {
            request.Examples = example.Requests.ToDictionary(r => r.Key,
                r => (IOpenApiExample)new OpenApiExample { Summary = r.Key, Value = JsonNode.Parse(r.Value) });
        }
        if (example.Response is { } body && operation.Responses?.TryGetValue(example.ResponseStatus.ToString(), out var found) == true
            && found is OpenApiResponse response)
        {
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            if (!response.Content.TryGetValue("application/json", out var media))
                response.Content["application/json"] = media = new OpenApiMediaType();
            media.Example = JsonNode.Parse(body);
        }
    }
}
