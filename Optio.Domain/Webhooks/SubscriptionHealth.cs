namespace Optio.Domain.Webhooks;

/// <summary>
/// What an attempt's answer does to its subscription: a success ends the failing streak, a failure starts it (or
/// carries it on), and a 410 or five days of failing straight disable the subscription.
/// </summary>
/// <param name="FailingSince">Start of the failing streak after the attempt; null after a success.</param>
/// <param name="DisableReason">Why the subscription is to be disabled now, or null.</param>
public sealed record SubscriptionHealth(DateTimeOffset? FailingSince, string? DisableReason)
{
    public static readonly TimeSpan DisableAfterFailingFor = TimeSpan.FromDays(5);
    public const string GoneReason = "the endpoint answered 410 Gone";

    public static SubscriptionHealth After(AttemptResult result, DateTimeOffset? failingSince, DateTimeOffset now)
    {
        var disable = result.Gone ? GoneReason
            : !result.Succeeded && failingSince is { } since && now - since >= DisableAfterFailingFor
                ? $"every delivery failed for {DisableAfterFailingFor.TotalDays:0} days (since {since:O})"
                : null;
        return new(result.Succeeded ? null : failingSince ?? now, disable);
    }
}
