using System.Diagnostics.Metrics;

namespace Optio.Api.Core;

/// <summary>Optio's own metrics (meter "Optio"), next to the ASP.NET Core, Wolverine and Marten ones.</summary>
public static class OptioMetrics
{
    public const string MeterName = "Optio";
    static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> TasksCreated = Meter.CreateCounter<long>("optio.tasks.created", description: "Tasks created manually");
    public static readonly Counter<long> TicketsImported = Meter.CreateCounter<long>("optio.tickets.imported", description: "Tickets that became tasks");
    public static readonly Counter<long> TicketsDuplicate = Meter.CreateCounter<long>("optio.tickets.duplicates", description: "Tickets seen again that already had a task");
    public static readonly Counter<long> TasksClaimed = Meter.CreateCounter<long>("optio.tasks.claimed", description: "Claims granted to runners");
    public static readonly Counter<long> SyncRuns = Meter.CreateCounter<long>("optio.sync.runs", description: "Provider syncs, by outcome");
    public static readonly Counter<long> TicketsClosed = Meter.CreateCounter<long>("optio.tickets.closed", description: "Tickets written back after their task completed");
    public static readonly Counter<long> DeliveryAttempts = Meter.CreateCounter<long>("optio.webhooks.attempts", description: "Webhook and Slack delivery attempts, by outcome");
    public static readonly Counter<long> GitHubDeliveries = Meter.CreateCounter<long>("optio.github.deliveries", description: "Inbound GitHub webhook deliveries, by outcome");
    public static readonly Counter<long> LeasesExpired = Meter.CreateCounter<long>("optio.leases.expired", description: "Claims taken back after their lease ran out");
}
