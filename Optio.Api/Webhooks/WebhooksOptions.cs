using System.Net;
using Optio.Api.Infrastructure;

namespace Optio.Api.Webhooks;

/// <summary>Outbound deliveries (<c>Optio:Webhooks</c>).</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Optio:Webhooks";

    /// <summary>CIDR networks deliveries may reach despite the SSRF guard.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary>One delivery attempt, answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the sender looks for due retries (new deliveries wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in flight per node.</summary>
    public int Parallelism { get; set; } = 16;

    public IReadOnlyList<IPNetwork> Networks => AllowedNetworks.Select(IPNetwork.Parse).ToList();

    internal static IEnumerable<string> Problems(WebhooksOptions o, string section) =>
        o.AllowedNetworks.Select((n, i) => (n, i)).Where(x => !IPNetwork.TryParse(x.n, out _))
            .Select(x => $"{section}:AllowedNetworks:{x.i} must be a CIDR network such as 10.1.0.0/16; got '{x.n}'")
            .Concat(OptioOptions.Positive(section, nameof(Timeout), o.Timeout))
            .Concat(OptioOptions.Positive(section, nameof(PollInterval), o.PollInterval))
            .Concat(OptioOptions.AtLeast(section, nameof(Parallelism), o.Parallelism, 1));
}
