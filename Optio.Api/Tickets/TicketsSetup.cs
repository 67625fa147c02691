using Marten;
using Wolverine;
using Wolverine.Marten;
using Wolverine.Runtime.Agents;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Repos;
using Optio.Api.Tickets.CloseBack;
using Optio.Api.Tickets.GitHub;
using Optio.Api.Tickets.Linear;
using Optio.Api.Tickets.Providers;
using Optio.Api.Tickets.Status;
using Optio.Api.Tickets.Sync;
using Optio.Domain.Tasks;
using Optio.Projections;

namespace Optio.Api.Tickets;

public static class TicketsSetup
{
    /// <summary>Ticket providers (GitHub, Linear), sync on a schedule, import, GitHub and Linear issue events, live status on the tickets, and close-back on merge.</summary>
    public static IServiceCollection AddOptioTickets(this IServiceCollection services)
    {
        services.ConfigureMarten(opts =>
        {
            opts.Schema.For<TicketProvider>();
            opts.Schema.For<ProviderSyncStatus>();
            opts.AddSyncRuns();
        });
        // Each PrMerged reaches the close-back handler through a durable subscription to the event store.
        services.PublishEventsToWolverine("task-effects", relay => relay.PublishEvent<PrMerged>());
        services.ConfigureWolverine(opts =>
        {
            opts.PublishMessage<SyncProvider>().ToLocalQueue("sync").MaximumParallelMessages(2);
            opts.PublishMessage<CloseTicket>().ToLocalQueue("close-back");
            // One publish at a time: GitHub asks for content-creating requests one after another, not at once.
            opts.PublishMessage<PublishTicketStatus>().ToLocalQueue("ticket-status").Sequential();
        });
        // State changes reach the status publisher through a subscription to the event store (exactly once, crash-safe).
        services.SubscribeToEvents(new TicketStatusRelay());
        services.AddOptioOptions<TicketStatusOptions>(TicketStatusOptions.Section, TicketStatusOptions.Problems)
            .PostConfigure(o => { if (o.RetryDelays.Count == 0) o.RetryDelays = [.. TicketStatusOptions.DefaultRetryDelays]; });
        services.AddSingleton<IWolverineExtension, TicketStatusRetries>();
        services.AddSingleton<ITicketStatusWriter, GitHubStatusWriter>();
        services.AddSingleton<ITicketStatusWriter, LinearStatusWriter>();

        services.AddSingleton<TicketImporter>();
        services.AddSingleton<ProviderSync>();
        services.AddOptioOptions<SyncOptions>(SyncOptions.Section, SyncOptions.Problems);
        services.AddSingleton<SyncSchedule>();
        services.AddSingleton<IAgentFamily>(sp => sp.GetRequiredService<SyncSchedule>());
        services.AddOptioOptions<CloseBackOptions>(CloseBackOptions.Section, CloseBackOptions.Problems)
            .PostConfigure(o => { if (o.RetryDelays.Count == 0) o.RetryDelays = [.. CloseBackOptions.DefaultRetryDelays]; });
        services.AddSingleton<IWolverineExtension, CloseBackRetries>();
        services.AddSingleton<IWatchedRepos, ProviderWatchedRepos>();

        services.AddSingleton<GitHubAccess>();
        services.AddSingleton<ITicketSource, GitHubTicketSource>();
        services.AddSingleton<ITicketCloser, GitHubTicketCloser>();
        services.AddSingleton<LinearAccess>();
        services.AddSingleton<ITicketSource, LinearTicketSource>();
        services.AddSingleton<ITicketCloser, LinearTicketCloser>();
        return services;
    }
}
