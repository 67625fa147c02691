using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.Tasks;

/// <summary>Lease expiry (<c>Optio:Leases</c>).</summary>
public sealed class LeasesOptions
{
    public const string Section = "Optio:Leases";

    /// <summary>How often expired leases are taken back; zero turns the sweep off.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal static IEnumerable<string> Problems(LeasesOptions o, string section) => OptioOptions.NotNegative(section, nameof(SweepInterval), o.SweepInterval);
}
