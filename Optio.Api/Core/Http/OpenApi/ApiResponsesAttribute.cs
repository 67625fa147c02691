namespace Optio.Api.Core.Http.OpenApi;

/// <summary>
/// The statuses an endpoint answers itself, next to the code that returns them: its successes (2xx) and its problems
/// (4xx/5xx, RFC 9457 <c>application/problem+json</c>). What every <c>/api</c> route can answer (401 without a key, 400 and
/// 413 from the request guard, 503 while the database is down) is added by <see cref="ApiResponsesTransformer"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiResponsesAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses { get; } = statuses;
}

/// <summary>
/// Request and response examples of an endpoint, as JSON text the OpenAPI document shows (and Scalar's "Try it" starts
/// from). A derived class lives beside its endpoint: <c>[ApiExample(typeof(CreateTaskExample))]</c>.
/// </summary>
public abstract class ApiExample
{
    /// <summary>Named request bodies (one for each variant, e.g. a GitHub and a Linear provider).</summary>
    public virtual IReadOnlyDictionary<string, string> Requests => new Dictionary<string, string>();

    /// <summary>The status <see cref="Response"/> is answered with.</summary>
    public virtual int ResponseStatus => StatusCodes.Status200OK;

    /// <summary>The response body, or null.</summary>
    public virtual string? Response => null;
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiExampleAttribute(Type example) : Attribute
{
    public ApiExample Example { get; } = (ApiExample)Activator.CreateInstance(example)!;
}
