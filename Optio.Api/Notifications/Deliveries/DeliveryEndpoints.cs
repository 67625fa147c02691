using System.Text.Json;
using Marten;
using Marten.Pagination;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Notifications.Subscriptions;
using Optio.Api.Repos;
using Optio.Domain.Webhooks;
using Optio.Projections.Deliveries;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Notifications.Deliveries;

public sealed record DeliveryView(
    Guid Id, Guid SubscriptionId, string Channel, string Event, Guid TaskId, string Status, int AttemptCount,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? FinishedAt, string? AbandonedReason,
    JsonElement Payload, IReadOnlyList<DeliveryAttempted> Attempts)
{
    public static DeliveryView From(DeliveryHistory d) => new(
        d.Id, d.SubscriptionId, d.Channel, d.EventType, d.TaskId, d.Status, d.AttemptCount, d.CreatedAt, d.NextAttemptAt, d.FinishedAt,
        d.AbandonedReason, JsonDocument.Parse(d.Body).RootElement.Clone(), d.Attempts);
}

public sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, int Page, int PageSize, long Total);

public sealed record Recover(DateTimeOffset? Since);

public sealed record Recovered(int Redelivered);

/// <summary>The delivery history, and asking for deliveries again.</summary>
public static class DeliveryEndpoints
{
    [ApiResponses(200, 400, 404)]
    [WolverineGet("/api/webhooks/{id}/deliveries")]
    public static async Task<IResult> List(Guid id, IQuerySession session, HttpContext http, string? status, string? @event, int? page, int? pageSize)
    {
        if (status is not (null or DeliveryStatus.Pending or DeliveryStatus.Delivered or DeliveryStatus.Failed))
            return Problems.BadRequest($"'status' must be pending, delivered or failed; got '{status}'.");
        if (@event is not null && !WebhookEvents.Types.Contains(@event) && @event != WebhookEvents.Ping)
            return Problems.BadRequest($"'event' must be one of {string.Join(", ", WebhookEvents.Types)}, ping; got '{@event}'.");
        var (number, size) = (page ?? 1, pageSize ?? 50);
        if (number < 1 || size is < 1 or > 200) return Problems.BadRequest("'page' starts at 1 and 'pageSize' is 1–200.");
        if (await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) is null && await session.LoadAsync<ConnectedRepo>(id, http.RequestAborted) is null)
            return Problems.NotFound($"Webhook subscription {id}");

        var query = session.Query<DeliveryHistory>().Where(x => x.SubscriptionId == id);
        if (status is not null) query = query.Where(x => x.Status == status);
        if (@event is not null) query = query.Where(x => x.EventType == @event);
        var rows = await query.OrderByDescending(x => x.CreatedAt).ThenByDescending(x => x.EventSequence).ToPagedListAsync(number, size, http.RequestAborted);
        return Results.Ok(new DeliveryPage(rows.Select(DeliveryView.From).ToList(), number, size, rows.TotalItemCount));
    }

    [ApiResponses(200, 404)]
    [WolverineGet("/api/webhooks/deliveries/{deliveryId}")]
    public static async Task<IResult> Get(Guid deliveryId, IQuerySession session, HttpContext http) =>
        await session.LoadAsync<DeliveryHistory>(deliveryId, http.RequestAborted) is { } d
            ? Results.Ok(DeliveryView.From(d))
            : Problems.NotFound($"Delivery {deliveryId}");

    /// <summary>Send it again now: one more attempt with the same webhook-id and body.</summary>
    [ApiResponses(202, 404, 409)]
    [WolverinePost("/api/webhooks/deliveries/{deliveryId}/redeliver")]
    public static async Task<IResult> Redeliver(Guid deliveryId, IDocumentStore store, DeliverySignal signal, TimeProvider clock, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<DeliveryHistory>(deliveryId, http.RequestAborted) is not { } d) return Problems.NotFound($"Delivery {deliveryId}");
        if (d.ToDelivery().Redeliver(clock.GetUtcNow()) is not { } again)
            return Problems.Result(409, "Already pending", $"Delivery {deliveryId} is already waiting to be sent (next attempt {d.NextAttemptAt:O}).");
        session.Events.Append(d.Id, d.Version + 1, again);
        await session.SaveChangesAsync(http.RequestAborted);
        signal.Wake();
        // The delivery as this request left it: read back, it may already be sent again by the time the answer is made.
        return Results.Accepted($"/api/webhooks/deliveries/{deliveryId}", DeliveryView.From(d.Following(again, again.DueAt) with { Version = d.Version + 1 }));
    }

    /// <summary>Resend every delivery of the subscription that failed since a moment (default: the last 24 h).</summary>
    [ApiResponses(202, 400, 404, 409)]
    [WolverinePost("/api/webhooks/{id}/recover")]
    public static async Task<IResult> Recover(Guid id, Recover? body, IDocumentStore store, DeliverySignal signal, TimeProvider clock, HttpContext http)
    {
        var since = body?.Since ?? clock.GetUtcNow().AddDays(-1);
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) is not { } subscription) return Problems.NotFound($"Webhook subscription {id}");
        if (!subscription.Enabled)
            return Problems.Result(409, "Subscription disabled", $"Enable the subscription first (PATCH enabled=true); it was disabled: {subscription.DisabledReason}");
        var failed = await session.Query<DeliveryHistory>()
            .Where(x => x.SubscriptionId == id && x.Status == DeliveryStatus.Failed && x.CreatedAt >= since)
            .ToListAsync(http.RequestAborted);
        var now = clock.GetUtcNow();
        var redelivered = 0;
        foreach (var d in failed)
        {
            if (d.ToDelivery().Redeliver(now) is not { } again) continue;
            session.Events.Append(d.Id, d.Version + 1, again);
            redelivered++;
        }
        await session.SaveChangesAsync(http.RequestAborted);
        signal.Wake();
        return Results.Accepted($"/api/webhooks/{id}/deliveries?status=pending", new Recovered(redelivered));
    }

    /// <summary>Send a signed ping now and report what the endpoint answered.</summary>
    [ApiResponses(200, 404)]
    [WolverinePost("/api/webhooks/{id}/test")]
    public static async Task<IResult> Test(Guid id, IDocumentStore store, DeliverySender sender, TimeProvider clock, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) is not { } subscription) return Problems.NotFound($"Webhook subscription {id}");
        var deliveryId = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        var body = JsonSerializer.Serialize(new { id = deliveryId.ToString(), @event = WebhookEvents.Ping, timestamp = now, data = new { subscriptionId = id } });
        // Held from before the ping is stored until its attempt is recorded: the background sender must not send it as well.
        await using var held = await sender.HoldAsync(deliveryId, http.RequestAborted);
        session.Events.StartStream(deliveryId, Delivery.Ping(id, body, now));
        await session.SaveChangesAsync(http.RequestAborted);

        var delivery = (await session.LoadAsync<DeliveryHistory>(deliveryId, http.RequestAborted))!;
        subscription.Enabled = true; // a ping also tests a disabled endpoint before it is enabled again (this copy is never saved)
        await sender.AttemptAsync(session, delivery, subscription, null, http.RequestAborted);
        return Results.Ok(DeliveryView.From((await session.LoadAsync<DeliveryHistory>(deliveryId, http.RequestAborted))!));
    }
}
