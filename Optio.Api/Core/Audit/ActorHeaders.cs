using Marten;

namespace Optio.Api.Core.Audit;

/// <summary>
/// The one place the actor reaches the events: before any session saves, each event it appends that carries no actor
/// yet gets the current one (<see cref="Actors.Current"/>) as its <c>actor</c> and <c>cause</c> headers. Work with no
/// actor set (none is expected) is recorded as <c>optio</c>, so no event is left without one.
/// </summary>
public sealed class ActorHeaders : DocumentSessionListenerBase
{
    public static readonly Actor Unattributed = new("optio", null);

    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var actor = Actors.Current ?? Unattributed;
        foreach (var stream in session.PendingChanges.Streams())
        foreach (var e in stream.Events)
        {
            if (e.Headers?.ContainsKey(Actor.Header) == true) continue;
            e.SetHeader(Actor.Header, actor.Name);
            if (actor.Cause is not null) e.SetHeader(Actor.CauseHeader, actor.Cause);
        }
        return Task.CompletedTask;
    }

    /// <summary>The actor and cause stored on an event, as text.</summary>
    public static (string? Actor, string? Cause) Of(JasperFx.Events.IEvent e) =>
        (Text(e.Headers, Actor.Header), Text(e.Headers, Actor.CauseHeader));

    static string? Text(Dictionary<string, object>? headers, string key) =>
        headers is not null && headers.TryGetValue(key, out var value) ? value?.ToString() : null;
}
