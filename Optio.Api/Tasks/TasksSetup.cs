using JasperFx.Events.Projections;
using Marten;
using Optio.Api.Core.Audit;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Domain.Tasks;
using Optio.Projections;
using Wolverine.Runtime.Agents;

namespace Optio.Api.Tasks;

public static class TasksSetup
{
    /// <summary>The task streams (their events, the live aggregate, the list, the ticket index), commands and the lease sweep.</summary>
    public static IServiceCollection AddOptioTasks(this IServiceCollection services)
    {
        services.ConfigureMarten(ConfigureStore);
        services.AddSingleton<TaskWriter>();
        services.AddSingleton<IRebuiltAfterImport, TicketIndexAfterImport>();
        services.AddOptioOptions<LeasesOptions>(LeasesOptions.Section, LeasesOptions.Problems);
        services.AddSingleton<LeaseExpiry>();
        services.AddSingleton<IAgentFamily>(sp => sp.GetRequiredService<LeaseExpiry>());
        return services;
    }

    public static void ConfigureStore(StoreOptions opts)
    {
        opts.Events.AddEventTypes(TaskEvents.All);
        opts.Projections.Add(new OptioTaskProjection(), ProjectionLifecycle.Live);
        opts.AddTaskList();
        opts.Schema.For<TicketAlias>().Identity(x => x.Id);
    }
}
