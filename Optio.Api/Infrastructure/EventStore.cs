using JasperFx;
using JasperFx.OpenTelemetry;
using Marten;
using Optio.Api.Repos;
using Optio.Api.Secrets;
using Optio.Api.Tickets.Providers;
using Optio.Api.Webhooks.GitHubInbound;
using Optio.Api.Webhooks.Outbound;
using Optio.Api.Webhooks.Subscriptions;
using Optio.Domain.Tasks;
using Optio.Projections;
using Weasel.Core;
using Wolverine.Marten;

namespace Optio.Api.Infrastructure;

public static class EventStore
{
    /// <summary>Marten on PostgreSQL: the task streams, their projections, integrated with Wolverine's outbox.</summary>
    public static IServiceCollection AddOptioEventStore(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                opts.DatabaseSchemaName = "optio";
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
                opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
                opts.AddOptioProjections();
                opts.Schema.For<ConnectedRepo>().UniqueIndex(x => x.Url);
                opts.Schema.For<StoredSecret>();
                opts.Schema.For<TicketProvider>();
                opts.Schema.For<ProviderSyncStatus>();
                opts.Schema.For<WebhookSubscription>();
                opts.Schema.For<GitHubDelivery>();
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // The event store drives effects: each PrMerged reaches Wolverine through a durable subscription.
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true)
            .PublishEventsToWolverine("task-effects", relay => relay.PublishEvent<PrMerged>())
            .AddSubscriptionWithServices<DeliveryScheduler>(ServiceLifetime.Singleton);
        services.AddHostedService<ServicePresence>();
        return services;
    }
}
