using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Integrations.GitHub.Inbound;

/// <summary>One inbound GitHub delivery as an operator sees it: what it was, and whether handling it worked.</summary>
public sealed record GitHubDeliveryView(string Id, string Event, string? Action, string Status, DateTimeOffset ReceivedAt,
    DateTimeOffset? ProcessedAt, string? Error, int Attempts, DateTimeOffset? FailedAt)
{
    public static GitHubDeliveryView From(GitHubDelivery d) =>
        new(d.Id, d.Event, d.Action, d.Status, d.ReceivedAt, d.ProcessedAt, d.Error, d.Attempts, d.FailedAt);
}

/// <summary>
/// <c>GET /api/webhooks/github/deliveries?status=&amp;limit=</c> (API key): the latest inbound GitHub deliveries, newest
/// first, each <c>queued</c>, <c>processed</c> or <c>failed</c> (with the error of its last attempt).
/// </summary>
public static class GitHubDeliveriesEndpoint
{
    public const string Path = GitHubWebhookEndpoint.Path + "/deliveries";

    [ApiResponses(200, 400)]
    [WolverineGet(Path)]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http, string? status, int? limit)
    {
        var size = limit ?? 50;
        if (size is < 1 or > 200) return Problems.BadRequest("'limit' is 1–200.");
        var query = session.Query<GitHubDelivery>().AsQueryable();
        query = status switch
        {
            null => query,
            "processed" => query.Where(x => x.ProcessedAt != null),
            "failed" => query.Where(x => x.ProcessedAt == null && x.Error != null),
            "queued" => query.Where(x => x.ProcessedAt == null && x.Error == null),
            _ => null!,
        };
        if (query is null) return Problems.BadRequest($"'status' is queued, processed or failed, not '{status}'.");
        var deliveries = await query.OrderByDescending(x => x.ReceivedAt).Take(size).ToListAsync(http.RequestAborted);
        return Results.Ok(deliveries.Select(GitHubDeliveryView.From).ToList());
    }
}
