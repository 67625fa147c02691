using System.Net;

namespace Optio.Api.Core.Http;

/// <summary>Where outbound calls to user-given URLs (webhooks, Slack) may go despite the <see cref="SsrfGuard"/> (<c>Optio:Webhooks</c>).</summary>
public sealed class OutboundNetworkOptions
{
    public const string Section = "Optio:Webhooks";

    /// <summary>CIDR networks deliveries may reach despite the SSRF guard.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    public IReadOnlyList<IPNetwork> Networks => AllowedNetworks.Select(IPNetwork.Parse).ToList();

    internal static IEnumerable<string> Problems(OutboundNetworkOptions o, string section) =>
        o.AllowedNetworks.Select((n, i) => (n, i)).Where(x => !IPNetwork.TryParse(x.n, out _))
            .Select(x => $"{section}:AllowedNetworks:{x.i} must be a CIDR network such as 10.1.0.0/16; got '{x.n}'");
}
