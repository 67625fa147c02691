using System.Net;
using System.Net.Http.Headers;
using JasperFx.CommandLine;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Optio.Tests.Hosts;

/// <summary>
/// The real Optio host on Kestrel at a loopback port, on the wall clock, over a database of its own: for clients that
/// need a real socket (a runner process, a browser and its WebSocket). <see cref="Http"/> calls it with the API key.
/// </summary>
public sealed class KestrelService : IAsyncDisposable
{
    sealed class Factory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configure(builder);
    }

    readonly Factory factory;

    public Uri BaseUrl { get; }
    public HttpClient Http { get; }

    KestrelService(Factory factory)
    {
        this.factory = factory;
        BaseUrl = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        Http = new HttpClient { BaseAddress = BaseUrl };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiHost.ApiKey);
    }

    public static async Task<KestrelService> StartAsync(string databaseName, Dictionary<string, string> settings)
    {
        var connectionString = await TestPostgres.NewDatabaseAsync(databaseName);
        JasperFxEnvironment.AutoStartHost = true;
        var factory = new Factory(b => ApiHost.Configure(b, connectionString, TimeProvider.System, settings: settings));
        factory.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return new KestrelService(factory);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
    }
}
