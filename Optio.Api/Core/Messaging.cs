using Wolverine;

namespace Optio.Api.Core;

public static class Messaging
{
    /// <summary>
    /// Durable local queues (persisted in PostgreSQL) for the work handlers do in the background. Each module
    /// routes its own messages (<c>services.ConfigureWolverine</c>).
    /// </summary>
    public static void ConfigureOptioMessaging(this WolverineOptions opts, IConfiguration configuration)
    {
        opts.Policies.UseDurableLocalQueues();
        opts.Durability.ScheduledJobPollingTime = configuration.GetValue("Optio:ScheduledJobPolling", TimeSpan.FromSeconds(5));
    }
}
