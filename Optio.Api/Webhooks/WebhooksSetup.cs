using Optio.Api.Webhooks.Outbound;

namespace Optio.Api.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Outbound webhooks and Slack: the guarded HTTP client, the sender and its wake-up signal.</summary>
    public static IServiceCollection AddOptioWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        var guard = SsrfGuard.From(configuration);
        services.AddSingleton(guard);
        services.AddHttpClient(DeliveryAttempt.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = guard.ConnectAsync,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 32,
            });
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryAttempt>();
        services.AddSingleton<DeliverySender>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliverySender>());
        return services;
    }
}
