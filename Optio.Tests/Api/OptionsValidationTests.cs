using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Integrations;
using Optio.Api.Integrations.GitHub;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Notifications;
using Optio.Api.Notifications.Live;
using Optio.Api.PullRequests;
using Optio.Api.Repos;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Optio.Api.Tickets.CloseBack;
using Optio.Api.Tickets.Sync;

namespace Optio.Tests.Api;

/// <summary>Each module's settings are bound and checked when the host starts: a bad value stops start-up, naming its key.</summary>
public class OptionsValidationTests
{
    static readonly Lazy<Task<string>> Database = new(() => TestPostgres.NewDatabaseAsync("options"));

    [Theory]
    [InlineData("Optio:Webhooks:Parallelism", "0", "Optio:Webhooks:Parallelism must be at least 1; got 0")]
    [InlineData("Optio:Webhooks:PollInterval", "-00:00:01", "Optio:Webhooks:PollInterval must be greater than zero")]
    [InlineData("Optio:Webhooks:Timeout", "00:00:00", "Optio:Webhooks:Timeout must be greater than zero")]
    [InlineData("Optio:Webhooks:AllowedNetworks:0", "10.0.0.0/8, 192.168.0.0", "Optio:Webhooks:AllowedNetworks:0 must be a CIDR network")]
    [InlineData("Optio:LiveEvents:ClientBuffer", "1", "Optio:LiveEvents:ClientBuffer must be at least 2; got 1")]
    [InlineData("Optio:LiveEvents:PollInterval", "0", "Optio:LiveEvents:PollInterval must be greater than zero")]
    [InlineData("Optio:SecretsKey", "AAAAAAAAAAAAAAAAAAAAAA==", "Optio:SecretsKey must be the base64 of exactly 32 bytes")]
    [InlineData("Optio:SecretsKey", "not base64 at all!", "Optio:SecretsKey must be the base64 of exactly 32 bytes")]
    [InlineData("Optio:Sync:Interval", "every minute", "Optio:Sync:Interval")]
    [InlineData("Optio:PullRequests:PollInterval", "-00:00:30", "Optio:PullRequests:PollInterval must not be negative")]
    [InlineData("Optio:Leases:SweepInterval", "-00:00:05", "Optio:Leases:SweepInterval must not be negative")]
    [InlineData("Optio:GitHub:Timeout", "00:00:00", "Optio:GitHub:Timeout must be greater than zero")]
    [InlineData("Optio:GitHub:ApiUrl", "github.example", "Optio:GitHub:ApiUrl must be an absolute http(s) URL")]
    [InlineData("Optio:GitHub:CachedResponses", "lots", "Optio:GitHub:CachedResponses")]
    [InlineData("Optio:CloseBack:RetryDelays:0", "-00:00:10", "Optio:CloseBack:RetryDelays:0 must not be negative")]
    [InlineData("Optio:ScheduledJobPolling", "00:00:00", "Optio:ScheduledJobPolling must be greater than zero")]
    [InlineData("Optio:Cluster:HealthCheckInterval", "-00:00:01", "Optio:Cluster:HealthCheckInterval must be greater than zero")]
    [InlineData("Optio:Cluster:StaleNodeTimeout", "00:00:01", "Optio:Cluster:StaleNodeTimeout must be longer than Optio:Cluster:HealthCheckInterval")]
    public async Task A_bad_value_fails_start_up_naming_its_key(string key, string value, string expected)
    {
        var failure = await Record.ExceptionAsync(async () =>
        {
            await using var host = await ApiHost.StartHostAsync(await Database.Value, new FakeTimeProvider(DateTimeOffset.UtcNow),
                settings: new Dictionary<string, string> { [key] = value });
        });

        Assert.NotNull(failure);
        Assert.Contains(expected, Messages(failure));
    }

    [Fact]
    public async Task The_defaults_start_and_are_those_the_README_lists()
    {
        await using (var host = await ApiHost.StartHostAsync(await Database.Value, new FakeTimeProvider(DateTimeOffset.UtcNow)))
        {
            // The test host sets two retry delays: configured delays replace the defaults, they are not added to them.
            Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(500)],
                host.Services.GetRequiredService<IOptions<CloseBackOptions>>().Value.RetryDelays);
        }

        // Without any configuration (no test settings either): the README's Configuration table.
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddOptioHttpApi("Host=localhost").AddOptioMessaging().AddOptioIntegrations().AddOptioRepos().AddOptioTasks().AddOptioTickets().AddOptioPullRequests().AddOptioNotifications()
            .BuildServiceProvider();
        T Get<T>() where T : class => services.GetRequiredService<IOptions<T>>().Value;

        Assert.Equal(TimeSpan.FromSeconds(5), Get<LeasesOptions>().SweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), Get<MessagingOptions>().ScheduledJobPolling);
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), (Get<ClusterOptions>().HealthCheckInterval, Get<ClusterOptions>().StaleNodeTimeout));
        Assert.Null(Get<SecretsOptions>().SecretsKey);
        Assert.Equal(new Uri("https://api.github.com/"), Get<GitHubOptions>().DefaultApiUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), Get<GitHubOptions>().Timeout);
        Assert.Equal(2000, Get<GitHubOptions>().CachedResponses);
        Assert.Equal(TimeSpan.FromMinutes(1), Get<SyncOptions>().Interval);
        Assert.Equal(TimeSpan.FromSeconds(30), Get<PullRequestsOptions>().PollInterval);
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)],
            Get<CloseBackOptions>().RetryDelays);
        Assert.Empty(Get<OutboundNetworkOptions>().AllowedNetworks);
        Assert.Equal(TimeSpan.FromSeconds(15), Get<WebhooksOptions>().Timeout);
        Assert.Equal(TimeSpan.FromSeconds(1), Get<WebhooksOptions>().PollInterval);
        Assert.Equal(16, Get<WebhooksOptions>().Parallelism);
        Assert.Equal(1024, Get<LiveEventsOptions>().ClientBuffer);
        Assert.Equal(TimeSpan.FromMilliseconds(250), Get<LiveEventsOptions>().PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), Get<LiveEventsOptions>().CloseGrace);
        Assert.Equal(TimeSpan.FromSeconds(5), Get<LiveEventsOptions>().SlowClientPatience);
    }

    static string Messages(Exception e) => e switch
    {
        AggregateException a => string.Join(" | ", a.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => $"{e.Message} | {Messages(inner)}",
        _ => e.Message,
    };
}
