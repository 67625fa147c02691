using Marten;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Notifications.Live;
using Optio.Api.Notifications.Subscriptions;
using Optio.Projections;

namespace Optio.Api.Notifications;

public static class NotificationsSetup
{
    /// <summary>
    /// Outbound webhooks and Slack (subscriptions, the delivery history, the scheduling subscription to the event store,
    /// the guarded HTTP client, the sender and its wake-up signal), and the live event stream.
    /// </summary>
    public static IServiceCollection AddOptioNotifications(this IServiceCollection services)
    {
        services.ConfigureMarten(ConfigureStore);
        // Every task event reaches the delivery scheduler through a durable subscription to the event store.
        services.AddSingleton<DeliveryScheduler>();
        services.ConfigureMarten((sp, opts) => opts.Projections.Subscribe(sp.GetRequiredService<DeliveryScheduler>()));

        services.AddOptioOptions<WebhooksOptions>(WebhooksOptions.Section, WebhooksOptions.Problems);
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

    public static void ConfigureStore(StoreOptions opts)
    {
        opts.Schema.For<WebhookSubscription>();
        opts.Schema.For<ScheduledTask>();
        opts.AddDeliveryHistory();
    }
}
