using Optio.Api.Infrastructure;
using Optio.Api.Webhooks.Live;
using Optio.Api.Webhooks.Outbound;

namespace Optio.Api.Webhooks;

public static class WebhooksSetup
{
    /// <summary>Outbound webhooks and Slack (the guarded HTTP client, the sender and its wake-up signal), and the live event stream.</summary>
    public static IServiceCollection AddOptioWebhooks(this IServiceCollection services)
    {
        services.AddOptioOptions<WebhooksOptions>(WebhooksOptions.Section, WebhooksOptions.Problems);
        services.AddSingleton<SsrfGuard>();
        // DeliveryAttempt enforces the per-attempt deadline (headers and body), so the client itself does not time out.
        services.AddHttpClient(DeliveryAttempt.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<SsrfGuard>().ConnectAsync,
                // A proxy would be what the guard checks, not the subscriber: connect directly, always.
                UseProxy = false,
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 32,
            });
        services.AddSingleton<DeliverySignal>();
        services.AddSingleton<DeliveryAttempt>();
        services.AddSingleton<DeliverySender>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliverySender>());

        // The live stream (GET /ws/events, mapped by MapOptioLiveEvents): this node's clients and its tail of the event store.
        services.AddOptioOptions<LiveEventsOptions>(LiveEventsOptions.Section, LiveEventsOptions.Problems);
        services.AddSingleton<LiveEventHub>();
        services.AddSingleton<LiveEventTail>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventTail>());
        return services;
    }
}
