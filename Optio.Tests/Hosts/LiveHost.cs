using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using JasperFx;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Optio.Tests.Infrastructure;
using Optio.Api.Notifications.Live;

namespace Optio.Tests.Hosts;

/// <summary>The live stream over real sockets.</summary>
[CollectionDefinition(Name)]
public sealed class LiveCollection : ICollectionFixture<LiveHost>
{
    public const string Name = "live events";
}

/// <summary>
/// The real Optio host on Kestrel at a loopback port (not a TestServer), so WebSocket clients are real
/// <see cref="ClientWebSocket"/>s over TCP and a client that stops reading pushes back like on a network.
/// Clients may fall the default 1,024 events behind.
/// </summary>
public sealed class LiveHost : IAsyncLifetime
{
    sealed class Factory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configure(builder);
    }

    Factory factory = null!;

    public string ConnectionString { get; private set; } = "";
    public Uri BaseUrl { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public IServiceProvider Services => factory.Services;
    public LiveEventHub Hub => Services.GetRequiredService<LiveEventHub>();

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.NewDatabaseAsync("optio_live");
        JasperFxEnvironment.AutoStartHost = true;
        factory = new Factory(b => ApiHost.Configure(b, ConnectionString, TimeProvider.System, services: SmallSendBuffers, settings: new Dictionary<string, string>
        {
            ["Optio:LiveEvents:PollInterval"] = "00:00:00.050",
            ["Optio:LiveEvents:CloseGrace"] = "00:00:01",
        }));
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        BaseUrl = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseUrl };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.ApiKey);
    }

    /// <summary>
    /// Accepted sockets inherit the listener's send buffer: a small one makes a client that stops reading push back
    /// after ~100 KB, like a slow link, instead of after the megabytes Linux would otherwise buffer on loopback.
    /// </summary>
    static void SmallSendBuffers(IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 16 * 1024;
            return socket;
        });

    public Uri StreamUrl(string? token = ApiHost.ApiKey) =>
        new($"ws://{BaseUrl.Authority}/ws/events{(token is null ? "" : $"?token={Uri.EscapeDataString(token)}")}");

    /// <summary>Connects a client and waits until the server counts it, so nothing stored afterwards is missed.</summary>
    public async Task<ClientWebSocket> ConnectAsync(string? token = ApiHost.ApiKey, Action<ClientWebSocketOptions>? options = null,
        int? receiveBufferBytes = null)
    {
        var before = Hub.Count;
        var socket = new ClientWebSocket();
        options?.Invoke(socket.Options);
        var handler = new SocketsHttpHandler // not disposed: the upgraded connection lives on in the socket
        {
            ConnectCallback = async (context, ct) =>
            {
                var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                if (receiveBufferBytes is { } size) tcp.ReceiveBufferSize = size;
                await tcp.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        await socket.ConnectAsync(StreamUrl(token), new HttpMessageInvoker(handler, disposeHandler: false), CancellationToken.None);
        await Eventually.Until(() => Task.FromResult(Hub.Count), n => n > before, TimeSpan.FromSeconds(10), "the server to count the client");
        return socket;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (factory is not null) await factory.DisposeAsync();
    }
}
