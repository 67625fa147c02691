using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http.OpenApi;
using Optio.Api.Core.Http;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>Deliveries scheduled in one hour (its start, UTC), by where they stand now.</summary>
public sealed record DeliveryHour(DateTimeOffset Hour, int Delivered, int Failed, int Pending);

public sealed record DeliveryStatsView(DateTimeOffset Since, int Delivered, int Failed, int Pending, IReadOnlyList<DeliveryHour> Hours);

/// <summary>
/// <c>GET /api/webhooks/deliveries/stats?hours=24&amp;subscription=</c>: how the deliveries of the last hours went, hour by
/// hour, across every subscription (and Slack) or one: what the console's overview charts.
/// </summary>
public static class DeliveryStatsEndpoint
{
    public const int MaxHours = 24 * 7;

    [ApiResponses(200, 400)]
    [WolverineGet("/api/webhooks/deliveries/stats")]
    public static async Task<IResult> Get(IQuerySession session, TimeProvider clock, HttpContext http, int? hours, Guid? subscription)
    {
        var span = hours ?? 24;
        if (span is < 1 or > MaxHours) return Problems.BadRequest($"'hours' must be between 1 and {MaxHours}; got {span}.");
        var now = clock.GetUtcNow();
        var firstHour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1 - span);

        var query = session.Query<DeliveryHistory>().Where(x => x.CreatedAt >= firstHour);
        if (subscription is { } id) query = query.Where(x => x.SubscriptionId == id);
        var rows = (await query.Select(x => new { x.CreatedAt, x.Status }).ToListAsync(http.RequestAborted)).Select(r => (r.CreatedAt, r.Status));

        var byHour = rows.GroupBy(r => (int)Math.Floor((r.CreatedAt - firstHour).TotalHours)).ToDictionary(g => g.Key, g => g.Select(r => r.Status).ToList());
        var buckets = Enumerable.Range(0, span).Select(i => byHour.TryGetValue(i, out var g)
            ? new DeliveryHour(firstHour.AddHours(i), Count(g, DeliveryStatus.Delivered), Count(g, DeliveryStatus.Failed), Count(g, DeliveryStatus.Pending))
            : new DeliveryHour(firstHour.AddHours(i), 0, 0, 0)).ToList();
        return Results.Ok(new DeliveryStatsView(firstHour, buckets.Sum(b => b.Delivered), buckets.Sum(b => b.Failed), buckets.Sum(b => b.Pending), buckets));

        static int Count(List<string> statuses, string status) => statuses.Count(s => s == status);
    }
}
