using Wolverine;

namespace Optio.Api.Core;

public static class Messaging
{
    /// <summary>
    /// Durable local queues (persisted in PostgreSQL) for the work handlers do in the background. Each module
    /// routes its own messages (<c>services.ConfigureWolverine</c>). Several nodes on one database run in Wolverine's
    /// balanced mode (its default): leader election places the agents (periodic work, event subscriptions) on the nodes.
    /// </summary>
    public static void ConfigureOptioMessaging(this WolverineOptions opts, IConfiguration configuration)
    {
        opts.Policies.UseDurableLocalQueues();
        opts.Durability.ScheduledJobPollingTime = configuration.GetValue("Optio:ScheduledJobPolling", TimeSpan.FromSeconds(5));
        // How soon a dead node's agents and messages move to the others: Wolverine's defaults (10 s, 1 min) unless set.
        if (configuration.GetValue<TimeSpan?>("Optio:Cluster:HealthCheckInterval") is { } healthCheck)
            opts.Durability.HealthCheckPollingTime = opts.Durability.FirstHealthCheckExecution = healthCheck;
        if (configuration.GetValue<TimeSpan?>("Optio:Cluster:StaleNodeTimeout") is { } stale)
            opts.Durability.StaleNodeTimeout = stale;
    }
}
