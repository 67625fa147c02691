namespace Optio.Api.Core.Audit;

/// <summary>
/// Who caused an event and why, recorded as the Marten headers <c>actor</c> and <c>cause</c> on every event a unit of
/// work appends. <see cref="Name"/> says who (an API key's name, a webhook delivery, a sync run, a poll cycle, the lease
/// sweep, close-back); <see cref="Cause"/> says what made it act (a request id, a webhook event, a sync trigger, an event).
/// </summary>
public sealed record Actor(string Name, string? Cause)
{
    public const string Header = "actor";
    public const string CauseHeader = "cause";

    /// <summary>A request authenticated with the API key named <paramref name="keyName"/> (never the key itself).</summary>
    public static Actor Api(string keyName, string requestId) => new($"api:{keyName}", $"request:{requestId}");

    /// <summary>A GitHub webhook delivery (<c>X-GitHub-Delivery</c>) and the event it carried, e.g. <c>pull_request.closed</c>.</summary>
    public static Actor GitHubWebhook(string deliveryId, string? eventName) => new($"github-webhook:{deliveryId}", eventName);

    /// <summary>A Linear webhook delivery (<c>Linear-Delivery</c>) and what it carried, e.g. <c>Issue.update</c>.</summary>
    public static Actor LinearWebhook(string deliveryId, string? eventName) => new($"linear-webhook:{deliveryId}", eventName);

    /// <summary>One sync run of a provider, and why it ran (schedule, requested, provider saved, a webhook…).</summary>
    public static Actor Sync(Guid providerId, Guid runId, string trigger) => new($"sync:{providerId}:{runId}", trigger);

    /// <summary>One pull-request poll: a cycle over every followed PR, or one task's poll asked for by a webhook.</summary>
    public static Actor PrPoll(string cycle, string? cause) => new($"pr-poll:{cycle}", cause);

    /// <summary>The sweep that puts tasks whose lease ran out back in the queue.</summary>
    public static Actor LeaseSweep(DateTimeOffset now) => new("lease-sweep", $"lease expired before {now:O}");

    /// <summary>Writing a merged task's outcome back to its ticket, caused by the <c>pr_merged</c> event.</summary>
    public static Actor CloseBack(string? mergedEventId) => new("close-back", mergedEventId is null ? null : $"event:{mergedEventId}");

    /// <summary>The webhook delivery machinery: scheduling deliveries from task events, sending them.</summary>
    public static Actor Deliveries(string part) => new($"deliveries:{part}", null);

    /// <summary>A command-line tool run by an operator (e.g. <c>import</c>).</summary>
    public static Actor Command(string name) => new($"cli:{name}", null);

    public override string ToString() => Cause is null ? Name : $"{Name} ({Cause})";
}

/// <summary>The actor of the unit of work running now: set at the door of each kind of work, read when it saves.</summary>
public static class Actors
{
    static readonly AsyncLocal<Actor?> Ambient = new();

    public static Actor? Current => Ambient.Value;

    /// <summary>Everything this flow saves until the scope ends is recorded as <paramref name="actor"/>'s doing.</summary>
    public static IDisposable ActAs(Actor actor)
    {
        var previous = Ambient.Value;
        Ambient.Value = actor;
        return new Restore(previous);
    }

    sealed class Restore(Actor? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
