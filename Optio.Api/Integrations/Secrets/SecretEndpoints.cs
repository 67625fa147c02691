using System.Text.RegularExpressions;
using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Integrations.Secrets;

public sealed record PutSecret(string? Value);

public sealed record SecretView(string Name, DateTimeOffset UpdatedAt);

/// <summary><c>/api/secrets</c>: write-only values; reads show names and update times, never a value.</summary>
public static partial class SecretEndpoints
{
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,128}$")]
    private static partial Regex ValidName();

    public static string? NameProblem(string name) => ValidName().IsMatch(name)
        ? null
        : $"Secret name '{name}' is invalid: use 1–128 letters, digits, '_', '-' or '.'.";

    [ApiResponses(200, 400)]
    [WolverinePut("/api/secrets/{name}")]
    public static async Task<IResult> Put(string name, PutSecret body, SecretStore secrets, TimeProvider clock, HttpContext http)
    {
        if (NameProblem(name) is { } problem) return Problems.BadRequest(problem);
        if (string.IsNullOrEmpty(body.Value)) return Problems.BadRequest("'value' is required.");
        await secrets.PutAsync(name, body.Value, http.RequestAborted);
        return Results.Ok(new SecretView(name, clock.GetUtcNow()));
    }

    [ApiResponses(200)]
    [WolverineGet("/api/secrets")]
    public static async Task<IReadOnlyList<SecretView>> List(IQuerySession session, HttpContext http) =>
        await session.Query<StoredSecret>().OrderBy(x => x.Id)
            .Select(x => new SecretView(x.Id, x.UpdatedAt))
            .ToListAsync(http.RequestAborted);

    [ApiResponses(204, 404)]
    [WolverineDelete("/api/secrets/{name}")]
    public static async Task<IResult> Delete(string name, IDocumentStore store, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<StoredSecret>(name, http.RequestAborted) is null)
            return Problems.NotFound($"Secret '{name}'");
        session.Delete<StoredSecret>(name);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.NoContent();
    }
}
