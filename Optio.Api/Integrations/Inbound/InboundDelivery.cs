using System.Security.Cryptography;
using System.Text;
using JasperFx;
using Marten;
using Wolverine;
using Wolverine.Marten.Publishing;
using Optio.Api.Core.Audit;

namespace Optio.Api.Integrations.Inbound;

/// <summary>
/// A webhook delivery a provider sent us, kept by its delivery id: the primary key makes a redelivery of the same id change
/// nothing, and the stored payload is what the handler works from. Handling that fails is recorded here
/// (<see cref="Error"/>, <see cref="Attempts"/>), never only in a dead-letter queue.
/// </summary>
public abstract class InboundDelivery
{
    public string Id { get; set; } = "";
    public string Payload { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>Why the last attempt at handling it failed; cleared when an attempt succeeds.</summary>
    public string? Error { get; set; }
    /// <summary>Handling attempts that failed.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset? FailedAt { get; set; }

    /// <summary>Who its effects are recorded as (the provider's webhook, with this delivery's id).</summary>
    public abstract Actor CausedBy();
}

/// <summary>
/// Handling a stored delivery: once (a processed one is skipped), everything it makes happen recorded as its doing, each
/// failed attempt recorded on the delivery and retried by Wolverine.
/// </summary>
public static class InboundDeliveryWork
{
    /// <summary>
    /// Stores a delivery and queues <paramref name="work"/> on it in one transaction (the outbox), so the sender is answered
    /// at once and nothing accepted is lost; false when this delivery id was stored before (a redelivery changes nothing).
    /// </summary>
    public static async Task<bool> StoreOnceAsync<TDelivery>(OutboxedSessionFactory sessions, IMessageBus bus, TDelivery delivery, object work,
        CancellationToken ct) where TDelivery : InboundDelivery
    {
        await using var session = sessions.OpenSession(bus);
        session.Insert(delivery); // as TDelivery: each provider's deliveries are a document type of their own
        await bus.SendAsync(work);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (DocumentAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="hex"/> is the HMAC-SHA256 of <paramref name="body"/> keyed by <paramref name="secret"/>, compared in constant time.</summary>
    public static bool SignatureMatches(string hex, string secret, byte[] body)
    {
        if (hex.Length != 64) return false;
        byte[] given;
        try { given = Convert.FromHexString(hex); }
        catch (FormatException) { return false; }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    public static async Task HandleOnceAsync<TDelivery, TEvent>(IDocumentStore store, string deliveryId, TimeProvider clock,
        Func<TDelivery, TEvent> read, Func<IDocumentSession, TEvent, Task> handle, CancellationToken ct)
        where TDelivery : InboundDelivery
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<TDelivery>(deliveryId, ct) is not { ProcessedAt: null } delivery) return;
        using var actor = Actors.ActAs(delivery.CausedBy());
        try
        {
            await handle(session, read(delivery));
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            await RecordFailureAsync(store, delivery, e, clock);
            throw;
        }
        delivery.ProcessedAt = clock.GetUtcNow();
        delivery.Error = null;
        session.Store(delivery);
        await session.SaveChangesAsync(ct);
    }

    static async Task RecordFailureAsync<TDelivery>(IDocumentStore store, TDelivery delivery, Exception e, TimeProvider clock)
        where TDelivery : InboundDelivery
    {
        await using var session = store.LightweightSession();
        delivery.Error = e.Message;
        delivery.Attempts++;
        delivery.FailedAt = clock.GetUtcNow();
        session.Store(delivery);
        await session.SaveChangesAsync(CancellationToken.None);
    }
}
