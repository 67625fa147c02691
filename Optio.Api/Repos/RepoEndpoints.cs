using JasperFx;
using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Secrets;
using Optio.Domain.Repos;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Repos;

public sealed record ConnectRepo(string? Url, string? DefaultBranch, bool? SlackEnabled, string? SlackWebhookUrl);

public sealed record UpdateRepo(string? DefaultBranch, bool? SlackEnabled, string? SlackWebhookUrl);

/// <summary><c>/api/repos</c>: the GitHub repositories Optio works in.</summary>
public static class RepoEndpoints
{
    [ApiResponses(201, 400, 409)]
    [WolverinePost("/api/repos")]
    public static async Task<IResult> Connect(ConnectRepo body, IDocumentStore store, SecretStore secrets, SsrfGuard guard, TimeProvider clock, HttpContext http)
    {
        if (!GitHubUrl.TryParseRepo(body.Url, out var repoUrl, out var error)) return Problems.BadRequest($"'url': {error}");
        var (url, owner, name) = (repoUrl.RepoUrl, repoUrl.Owner, repoUrl.Name);
        if (SlackProblem(guard, body.SlackEnabled, body.SlackWebhookUrl) is { } slackProblem) return slackProblem;
        if (body.DefaultBranch is { } branch && string.IsNullOrWhiteSpace(branch)) return Problems.BadRequest("'defaultBranch' must not be empty.");

        await using var session = store.LightweightSession();
        // Ask first, before the Slack secret is written: a duplicate is a client's mistake, not a failed write. The unique index still decides a race.
        if (await session.Query<ConnectedRepo>().FirstOrDefaultAsync(x => x.Url == url, http.RequestAborted) is { } known)
            return AlreadyConnected(url, known);

        var repo = new ConnectedRepo
        {
            Id = Guid.CreateVersion7(),
            Url = url,
            Owner = owner,
            Name = name,
            DefaultBranch = body.DefaultBranch?.Trim() ?? "main",
            SlackEnabled = body.SlackEnabled ?? false,
            CreatedAt = clock.GetUtcNow(),
        };
        if (!string.IsNullOrWhiteSpace(body.SlackWebhookUrl))
        {
            repo.SlackWebhookSecret = SlackSecretName(repo.Id);
            await secrets.PutAsync(repo.SlackWebhookSecret, body.SlackWebhookUrl.Trim(), http.RequestAborted);
        }

        session.Insert(repo);
        try
        {
            await session.SaveChangesAsync(http.RequestAborted);
        }
        catch (DocumentAlreadyExistsException)
        {
            return AlreadyConnected(url, await session.Query<ConnectedRepo>().FirstAsync(x => x.Url == url, http.RequestAborted));
        }
        return Results.Created($"/api/repos/{repo.Id}", RepoView.From(repo));
    }

    static IResult AlreadyConnected(string url, ConnectedRepo existing) =>
        Problems.Result(409, "Already connected", $"{url} is already connected as repo {existing.Id}.",
            new Dictionary<string, object?> { ["repoId"] = existing.Id });

    [ApiResponses(200)]
    [WolverineGet("/api/repos")]
    public static async Task<IReadOnlyList<RepoView>> List(IQuerySession session, HttpContext http) =>
        (await session.Query<ConnectedRepo>().OrderBy(x => x.Url).ToListAsync(http.RequestAborted)).Select(RepoView.From).ToList();

    [ApiResponses(200, 404)]
    [WolverineGet("/api/repos/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext http)
    {
        if (await session.LoadAsync<ConnectedRepo>(id, http.RequestAborted) is not { } repo) return Problems.NotFound($"Repo {id}");
        http.Response.Headers.ETag = IfMatch.ETag(repo.Version);
        return Results.Ok(RepoView.From(repo));
    }

    /// <summary>Changes what the body names; optimistic like every PATCH (If-Match → 412 when stale, else re-applied on a race).</summary>
    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePatch("/api/repos/{id}")]
    public static async Task<IResult> Update(Guid id, UpdateRepo body, IDocumentStore store, SecretStore secrets, SsrfGuard guard, HttpContext http)
    {
        if (body.DefaultBranch is { } branch && string.IsNullOrWhiteSpace(branch)) return Problems.BadRequest("'defaultBranch' must not be empty.");
        return await VersionedUpdate.ApplyAsync<ConnectedRepo>(store, id, $"Repo {id}", http,
            async repo =>
            {
                var enabled = body.SlackEnabled ?? repo.SlackEnabled;
                var hasUrl = body.SlackWebhookUrl is { Length: > 0 } || (body.SlackWebhookUrl is null && repo.SlackWebhookSecret is not null);
                if (SlackProblem(guard, enabled, body.SlackWebhookUrl, hasUrl) is { } slackProblem) return slackProblem;

                if (body.DefaultBranch is not null) repo.DefaultBranch = body.DefaultBranch.Trim();
                repo.SlackEnabled = enabled;
                if (body.SlackWebhookUrl is { Length: > 0 } slackUrl)
                {
                    repo.SlackWebhookSecret = SlackSecretName(repo.Id);
                    await secrets.PutAsync(repo.SlackWebhookSecret, slackUrl.Trim(), http.RequestAborted);
                }
                return null;
            },
            (repo, _) => Task.FromResult(Results.Ok(RepoView.From(repo))));
    }

    [ApiResponses(204, 404)]
    [WolverineDelete("/api/repos/{id}")]
    public static async Task<IResult> Disconnect(Guid id, IDocumentStore store, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<ConnectedRepo>(id, http.RequestAborted) is not { } repo) return Problems.NotFound($"Repo {id}");
        session.Delete(repo);
        if (repo.SlackWebhookSecret is not null) session.Delete<StoredSecret>(repo.SlackWebhookSecret);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.NoContent();
    }

    static string SlackSecretName(Guid repoId) => $"repo-{repoId:N}-slack-webhook";

    static IResult? SlackProblem(SsrfGuard guard, bool? enabled, string? url, bool? urlKnown = null)
    {
        if (url is { Length: > 0 } && SlackWebhookUrl.Problem("slackWebhookUrl", url, guard) is { } problem) return Problems.BadRequest(problem);
        if (enabled == true && !(urlKnown ?? url is { Length: > 0 }))
            return Problems.BadRequest("'slackEnabled' needs a 'slackWebhookUrl'.");
        return null;
    }
}
