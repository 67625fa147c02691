using Optio.Api.PullRequests;
using Optio.Api.Tickets.CloseBack;
using Optio.Api.Tickets.Sync;
using Optio.Api.Webhooks.GitHubInbound;
using Wolverine;

namespace Optio.Api.Infrastructure;

public static class Messaging
{
    /// <summary>Durable local queues (persisted in PostgreSQL) for the work handlers do in the background.</summary>
    public static void ConfigureOptioMessaging(this WolverineOptions opts, IConfiguration configuration)
    {
        opts.Policies.UseDurableLocalQueues();
        opts.Durability.ScheduledJobPollingTime = configuration.GetValue("Optio:ScheduledJobPolling", TimeSpan.FromSeconds(5));
        opts.PublishMessage<SyncProvider>().ToLocalQueue("sync").MaximumParallelMessages(2);
        opts.PublishMessage<CloseTicket>().ToLocalQueue("close-back");
        opts.PublishMessage<ProcessGitHubDelivery>().ToLocalQueue("github-inbound");
        opts.PublishMessage<PollPullRequest>().ToLocalQueue("pull-requests").MaximumParallelMessages(4);
    }
}
