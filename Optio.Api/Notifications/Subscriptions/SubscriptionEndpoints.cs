using System.Security.Cryptography;
using Marten;
using Wolverine.Http;
using Optio.Api.Core.Http;
using Optio.Api.Integrations.Secrets;
using Optio.Domain.Webhooks;
using Optio.Api.Core.Http.OpenApi;

namespace Optio.Api.Notifications.Subscriptions;

public sealed record CreateSubscription(string? Url, string[]? Events, string? Secret);

public sealed record UpdateSubscription(string? Url, string[]? Events, bool? Enabled, bool? RotateSecret, string? Secret);

/// <summary><c>/api/webhooks</c>: who is told about task events, and with which secret.</summary>
public static class SubscriptionEndpoints
{
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    [ApiResponses(201, 400)]
    [ApiExample(typeof(CreateSubscriptionExample))]
    [WolverinePost("/api/webhooks")]
    public static async Task<IResult> Create(CreateSubscription body, IDocumentStore store, SecretCipher cipher, TimeProvider clock, HttpContext http)
    {
        if (UrlProblem(body.Url) is { } urlProblem) return Problems.BadRequest(urlProblem);
        if (EventsProblem(body.Events) is { } eventsProblem) return Problems.BadRequest(eventsProblem);
        if (body.Secret is { } given && SecretProblem(given) is { } secretProblem) return Problems.BadRequest(secretProblem);

        var now = clock.GetUtcNow();
        var generated = body.Secret is null ? NewSecret() : null;
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), Url = body.Url!.Trim(), Events = body.Events!.Distinct().ToList(), CreatedAt = now, UpdatedAt = now,
        };
        subscription.SealedSecret = cipher.Encrypt(subscription.SecretName, body.Secret ?? generated!);

        await using var session = store.LightweightSession();
        session.Insert(subscription);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.Created($"/api/webhooks/{subscription.Id}", WebhookSubscriptionView.From(subscription, now, generated));
    }

    [ApiResponses(200)]
    [WolverineGet("/api/webhooks")]
    public static async Task<IReadOnlyList<WebhookSubscriptionView>> List(IQuerySession session, TimeProvider clock, HttpContext http) =>
        (await session.Query<WebhookSubscription>().OrderBy(x => x.CreatedAt).ToListAsync(http.RequestAborted))
            .Select(s => WebhookSubscriptionView.From(s, clock.GetUtcNow())).ToList();

    [ApiResponses(200, 404)]
    [WolverineGet("/api/webhooks/{id}")]
    public static async Task<IResult> Get(Guid id, IQuerySession session, TimeProvider clock, HttpContext http)
    {
        if (await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) is not { } s) return Problems.NotFound($"Webhook subscription {id}");
        http.Response.Headers.ETag = IfMatch.ETag(s.Version);
        return Results.Ok(WebhookSubscriptionView.From(s, clock.GetUtcNow()));
    }

    /// <summary>
    /// Changes what the body names. Optimistic: with If-Match a stale version is a 412; without it, a change that met a
    /// concurrent one is re-applied to the fresh copy, except a rotation that met another rotation: that one is a 409,
    /// so a secret shown in a 200 is always the one in force.
    /// </summary>
    [ApiResponses(200, 400, 404, 409, 412)]
    [WolverinePatch("/api/webhooks/{id}")]
    public static async Task<IResult> Update(Guid id, UpdateSubscription body, IDocumentStore store, SecretCipher cipher, TimeProvider clock, HttpContext http)
    {
        if (body.Url is not null && UrlProblem(body.Url) is { } urlProblem) return Problems.BadRequest(urlProblem);
        if (body.Events is not null && EventsProblem(body.Events) is { } eventsProblem) return Problems.BadRequest(eventsProblem);
        if (body.Secret is { } given && SecretProblem(given) is { } secretProblem) return Problems.BadRequest(secretProblem);
        if (body.Secret is not null && body.RotateSecret == false) return Problems.BadRequest("A new 'secret' is a rotation: leave 'rotateSecret' out or true.");

        var rotates = body.RotateSecret == true || body.Secret is not null;
        var generated = rotates && body.Secret is null ? NewSecret() : null;
        byte[]? secretFirstSeen = null;
        var now = clock.GetUtcNow();
        return await VersionedUpdate.ApplyAsync<WebhookSubscription>(store, id, $"Webhook subscription {id}", http,
            s =>
            {
                if (rotates && RotatedMeanwhile(s, ref secretFirstSeen)) return Task.FromResult<IResult?>(RotationRace(id));
                Apply(body, s, generated, cipher, now);
                return Task.FromResult<IResult?>(null);
            },
            (s, _) => Task.FromResult(Results.Ok(WebhookSubscriptionView.From(s, now, generated))));
    }

    static void Apply(UpdateSubscription body, WebhookSubscription s, string? generated, SecretCipher cipher, DateTimeOffset now)
    {
        if (body.Url is not null) s.Url = body.Url.Trim();
        if (body.Events is not null) s.Events = body.Events.Distinct().ToList();
        if (body.Enabled is { } enabled)
        {
            s.Enabled = enabled;
            if (enabled) (s.DisabledReason, s.DisabledAt, s.FailingSince) = (null, null, null);
            else (s.DisabledReason, s.DisabledAt) = ("disabled by request", now);
        }
        if (body.RotateSecret == true || body.Secret is not null)
        {
            // A secret that can no longer be read (sealed under a replaced Optio:SecretsKey) cannot sign beside the new one: it is just replaced.
            var current = cipher.TryDecrypt(s.SecretName, s.SealedSecret);
            s.SealedPreviousSecret = current is null ? null : cipher.Encrypt(s.PreviousSecretName, current);
            s.PreviousSecretUntil = current is null ? null : now + RotationOverlap;
            s.SealedSecret = cipher.Encrypt(s.SecretName, body.Secret ?? generated!);
        }
        s.UpdatedAt = now;
    }

    /// <summary>True when this retry finds a secret other than the one the first attempt found: another rotation won.</summary>
    static bool RotatedMeanwhile(WebhookSubscription s, ref byte[]? firstSeen)
    {
        firstSeen ??= s.SealedSecret;
        return !firstSeen.AsSpan().SequenceEqual(s.SealedSecret);
    }

    static IResult RotationRace(Guid id) => Problems.Result(409, "Rotated concurrently",
        $"Another request rotated the secret of webhook subscription {id} while this one was rotating it; this rotation was not applied " +
        "and its secret will never sign anything. GET the subscription and rotate again if a newer secret is still wanted.");

    [ApiResponses(204, 404)]
    [WolverineDelete("/api/webhooks/{id}")]
    public static async Task<IResult> Delete(Guid id, IDocumentStore store, HttpContext http)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WebhookSubscription>(id, http.RequestAborted) is null) return Problems.NotFound($"Webhook subscription {id}");
        session.Delete<WebhookSubscription>(id);
        await session.SaveChangesAsync(http.RequestAborted);
        return Results.NoContent();
    }

    /// <summary>A Standard Webhooks secret: <c>whsec_</c> + base64 of 24 random bytes.</summary>
    static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    public static string? UrlProblem(string? url)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return $"'url' must be an absolute http(s) URL; got '{url}'.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "'url' must not carry credentials (user:password@): put authentication in the signature secret.";
        return null;
    }

    static string? EventsProblem(string[]? events)
    {
        if (events is not { Length: > 0 }) return $"'events' needs at least one of {string.Join(", ", WebhookEvents.Types)} or '*'.";
        var unknown = events.Where(e => !WebhookEvents.IsKnown(e)).ToList();
        return unknown.Count == 0 ? null
            : $"'events': unknown event type(s) {string.Join(", ", unknown.Select(u => $"'{u}'"))}; known: {string.Join(", ", WebhookEvents.Types)}, '*'.";
    }

    static string? SecretProblem(string secret)
    {
        if (secret.Length is < 16 or > 256) return "'secret' must be 16–256 characters (or leave it out to get a generated whsec_ secret).";
        // A whsec_ secret is signed with the bytes its base64 stands for: refuse one that could never sign.
        if (secret.StartsWith("whsec_", StringComparison.Ordinal)
            && (!Convert.TryFromBase64String(secret["whsec_".Length..], new byte[secret.Length], out var length) || length is < 16 or > 64))
            return "'secret': after 'whsec_' comes the base64 of 16–64 random bytes (Standard Webhooks); or use a secret without that prefix.";
        return null;
    }
}
