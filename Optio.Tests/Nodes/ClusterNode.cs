using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Infrastructure;
using Wolverine;

namespace Optio.Tests.Nodes;

/// <summary>
/// A node of a cluster: Wolverine in balanced mode (leader election, agents placed on nodes) instead of the solo mode
/// other test hosts run in, with health checks fast enough for a test.
/// </summary>
public static class ClusterNode
{
    public static readonly IReadOnlyDictionary<string, string> FastHealthChecks = new Dictionary<string, string>
    {
        ["Optio:Cluster:HealthCheckInterval"] = "00:00:01",
        ["Optio:Cluster:StaleNodeTimeout"] = "00:00:10",
    };

    public static void Balanced(IServiceCollection services) =>
        services.ConfigureWolverine(opts => opts.Durability.Mode = DurabilityMode.Balanced);

    /// <summary>Another node on the collection's database, with its settings.</summary>
    public static Task<IAlbaHost> StartAsync(ApiHost first) =>
        ApiHost.StartHostAsync(first.ConnectionString, first.Clock, Balanced, first.HostSettings);
}

/// <summary>The tickets host (fake GitHub and Linear) as the first node of a cluster.</summary>
public sealed class NodesHost : TicketsHost
{
    protected override void ConfigureServices(IServiceCollection services) => ClusterNode.Balanced(services);

    protected override async Task<IReadOnlyDictionary<string, string>> BeforeStartAsync() =>
        (await base.BeforeStartAsync()).Concat(ClusterNode.FastHealthChecks).ToDictionary();
}
