using Optio.Api.Core.Database;
using Wolverine;

namespace Optio.Api.Core;

/// <summary>How often scheduled messages (retries, delayed work) are looked for (<c>Optio:ScheduledJobPolling</c>).</summary>
public sealed class MessagingOptions
{
    public const string Section = "Optio";

    public TimeSpan ScheduledJobPolling { get; set; } = TimeSpan.FromSeconds(5);

    internal static IEnumerable<string> Problems(MessagingOptions o, string section) =>
        OptioOptions.Positive(section, nameof(ScheduledJobPolling), o.ScheduledJobPolling);
}

/// <summary>How soon a node takes up work and a dead node's agents and messages move to the others (<c>Optio:Cluster</c>).</summary>
public sealed class ClusterOptions
{
    public const string Section = "Optio:Cluster";

    /// <summary>
    /// How often each node reports to the cluster (Wolverine's health check, 10 s by default there). The leader places
    /// the agents (event-store subscriptions, periodic work) at a check, so a starting node waits for its first one.
    /// </summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a silent node counts as alive before its work moves to the others.</summary>
    public TimeSpan StaleNodeTimeout { get; set; } = TimeSpan.FromMinutes(1);

    internal static IEnumerable<string> Problems(ClusterOptions o, string section) =>
        OptioOptions.Positive(section, nameof(HealthCheckInterval), o.HealthCheckInterval)
            .Concat(OptioOptions.Positive(section, nameof(StaleNodeTimeout), o.StaleNodeTimeout))
            .Concat(o.StaleNodeTimeout > o.HealthCheckInterval ? [] :
                [$"{section}:{nameof(StaleNodeTimeout)} must be longer than {section}:{nameof(HealthCheckInterval)} ({o.HealthCheckInterval}); got {o.StaleNodeTimeout}"]);
}

public static class Messaging
{
    /// <summary>The messaging settings, checked at start like every module's.</summary>
    public static IServiceCollection AddOptioMessaging(this IServiceCollection services)
    {
        services.AddOptioOptions<MessagingOptions>(MessagingOptions.Section, MessagingOptions.Problems);
        services.AddOptioOptions<ClusterOptions>(ClusterOptions.Section, ClusterOptions.Problems);
        services.AddSingleton<NodeLiveness>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeLiveness>());
        return services;
    }

    /// <summary>
    /// Durable local queues (persisted in PostgreSQL) for the work handlers do in the background. Each module
    /// routes its own messages (<c>services.ConfigureWolverine</c>). Several nodes on one database run in Wolverine's
    /// balanced mode (its default): leader election places the agents (periodic work, event subscriptions) on the nodes.
    /// </summary>
    public static void ConfigureOptioMessaging(this WolverineOptions opts, IConfiguration configuration)
    {
        // Read here because Wolverine is configured before the container exists; AddOptioMessaging checks the same values.
        var messaging = configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new();
        var cluster = configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new();
        opts.Policies.UseDurableLocalQueues();
        opts.LoadPregeneratedCodeWhenCompiledIn();
        opts.Durability.ScheduledJobPollingTime = messaging.ScheduledJobPolling;
        opts.Durability.HealthCheckPollingTime = cluster.HealthCheckInterval;
        // Wolverine's first check comes this long plus an interval after start: a started node leads within one interval.
        opts.Durability.FirstHealthCheckExecution = TimeSpan.FromMilliseconds(500);
        opts.Durability.StaleNodeTimeout = cluster.StaleNodeTimeout;
    }
}
