using System.Net.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Deliveries;

namespace Optio.Tests.Hosts;

/// <summary>Events out: subscriptions, deliveries to loopback receivers, history, Slack.</summary>
[CollectionDefinition(Name)]
public sealed class WebhooksCollection : ICollectionFixture<WebhooksHost>
{
    public const string Name = "webhooks";
}

/// <summary>
/// The API with loopback allowed for deliveries (the SSRF guard refuses it otherwise), a fast sender poll
/// and a short attempt timeout, and two subscribers: <see cref="Receiver"/> (HTTP) and
/// <see cref="SecureReceiver"/> (HTTPS with a self-signed certificate the host trusts, for Slack URLs,
/// which must be https).
/// </summary>
public sealed class WebhooksHost : ApiHost
{
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);
    /// <summary>How many deliveries the sender attempts at once (the production default, named so tests can reason about it).</summary>
    public const int SenderParallelism = 16;

    public WebhookReceiver Receiver { get; private set; } = null!;
    public WebhookReceiver SecureReceiver { get; private set; } = null!;

    public static IReadOnlyDictionary<string, string> Settings(bool allowLoopback = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Optio:Webhooks:PollInterval"] = "00:00:00.100",
            ["Optio:Webhooks:Timeout"] = AttemptTimeout.ToString(),
            ["Optio:Webhooks:Parallelism"] = SenderParallelism.ToString(),
        };
        if (allowLoopback) settings["Optio:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8";
        return settings;
    }

    protected override async Task<IReadOnlyDictionary<string, string>> BeforeStartAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        SecureReceiver = await WebhookReceiver.StartAsync(https: true);
        return Settings();
    }

    protected override void ConfigureServices(IServiceCollection services) => Trust(services, SecureReceiver);

    /// <summary>Lets the delivery client accept the receiver's self-signed certificate (and nothing else it would refuse).</summary>
    public static void Trust(IServiceCollection services, WebhookReceiver receiver) =>
        services.Configure<HttpClientFactoryOptions>(DeliveryAttempt.HttpClientName, o => o.HttpMessageHandlerBuilderActions.Add(b =>
        {
            if (b.PrimaryHandler is SocketsHttpHandler handler)
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None || certificate?.GetCertHashString() == receiver.Certificate!.GetCertHashString();
        }));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
        await SecureReceiver.DisposeAsync();
    }
}
