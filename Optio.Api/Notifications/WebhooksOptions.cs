using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.Notifications;

/// <summary>Outbound deliveries (<c>Optio:Webhooks</c>; the networks they may reach are <see cref="OutboundNetworkOptions"/>).</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Optio:Webhooks";

    /// <summary>One delivery attempt, answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the sender looks for due retries (new deliveries wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in flight per node.</summary>
    public int Parallelism { get; set; } = 16;

    internal static IEnumerable<string> Problems(WebhooksOptions o, string section) =>
        OptioOptions.Positive(section, nameof(Timeout), o.Timeout)
            .Concat(OptioOptions.Positive(section, nameof(PollInterval), o.PollInterval))
            .Concat(OptioOptions.AtLeast(section, nameof(Parallelism), o.Parallelism, 1));
}
