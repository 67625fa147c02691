using JasperFx;
using JasperFx.Events;
using JasperFx.OpenTelemetry;
using Marten;
using Optio.Api.Core.Audit;
using Weasel.Core;
using Wolverine.Marten;

namespace Optio.Api.Core.Database;

public static class EventStore
{
    /// <summary>
    /// Marten on PostgreSQL, integrated with Wolverine's outbox. The modules register their own
    /// events, documents, projections and subscriptions (<c>services.ConfigureMarten</c>); this knows none of them.
    /// </summary>
    public static IServiceCollection AddOptioEventStore(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(opts => Configure(opts, connectionString))
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine(w => w.UseWolverineManagedEventSubscriptionDistribution = true);
        services.AddHostedService<ServicePresence>();
        return services;
    }

    /// <summary>The store's own settings, shared by the service and by tools that open the store directly.</summary>
    public static StoreOptions Configure(StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = "optio";
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.OpenTelemetry.TrackConnections = TrackLevel.Normal;
        // Quick appends: a save is one batch (Rich first fetches sequence numbers and the stream's state, a round trip
        // more). Inline projections still see each event's timestamp (this mode stores the one they saw; plain Quick
        // stores the server's now()), and its version whenever the append names the stream's version (FetchForWriting,
        // StartStream, Append(id, version, ...)), as every append here does.
        opts.Events.AppendMode = EventAppendMode.QuickWithServerTimestamps;
        // Subscribers hear of a stored event within a poll of the event store's high-water mark: a quiet store is
        // polled as often as a busy one (Marten waits a second when quiet), so a trickle of events is announced in well
        // under a second. The poll is one indexed read of the highest sequence.
        opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
        opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
        // A gap in the sequence (an append rolled back, or a process killed mid-transaction) holds every subscriber until
        // it is skipped. Marten skips a gap only when no transaction that could still fill it is alive (transaction
        // evidence, on by default, with no cap), so waiting a second instead of three loses nothing: after a crash the
        // subscribers move on two seconds sooner.
        opts.Projections.StaleSequenceThreshold = TimeSpan.FromSeconds(1);
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        // Who and why (actor, cause) on every event: set by ActorHeaders from the unit of work's actor.
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Listeners.Add(new ActorHeaders());
        return opts;
    }
}
