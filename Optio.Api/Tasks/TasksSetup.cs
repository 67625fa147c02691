using Optio.Api.Infrastructure;

namespace Optio.Api.Tasks;

public static class TasksSetup
{
    public static IServiceCollection AddOptioTasks(this IServiceCollection services)
    {
        services.AddSingleton<TaskWriter>();
        services.AddOptioOptions<LeasesOptions>(LeasesOptions.Section, LeasesOptions.Problems);
        services.AddSingleton<LeaseExpiry>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseExpiry>());
        return services;
    }
}
