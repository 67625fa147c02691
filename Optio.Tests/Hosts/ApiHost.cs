using Alba;
using JasperFx;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Wolverine;

namespace Optio.Tests.Hosts;

/// <summary>
/// The real Optio host over a database of its own, with a clock the test moves.
/// One per test collection: starting a host costs seconds, a test costs milliseconds.
/// </summary>
public class ApiHost : IAsyncLifetime
{
    public const string ApiKey = "test-api-key";
    public static readonly string SecretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public IAlbaHost Host { get; private set; } = null!;
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public string ConnectionString { get; private set; } = "";
    /// <summary>The settings the host started with, for a second node on the same database.</summary>
    public IReadOnlyDictionary<string, string> HostSettings { get; private set; } = new Dictionary<string, string>();

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.NewDatabaseAsync("optio");
        HostSettings = await BeforeStartAsync();
        Host = await StartHostAsync(ConnectionString, Clock, ConfigureServices, HostSettings);
    }

    /// <summary>Services the collection's host needs beyond the defaults (e.g. trusting a fake's certificate).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Start what the host depends on (fakes) and name the settings that point at it.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string>> BeforeStartAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    /// <summary>A further host on the same database: a restart, or a second node.</summary>
    public static async Task<IAlbaHost> StartHostAsync(string connectionString, TimeProvider clock,
        Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        JasperFxEnvironment.AutoStartHost = true;
        var host = await AlbaHost.For<Program>(b => Configure(b, connectionString, clock, services, settings));
        host.BeforeEach(http => http.Request.Headers.Authorization = $"Bearer {ApiKey}");
        return host;
    }

    /// <summary>The test configuration of a host: its database, keys, clock, fast polling, single-node Wolverine.</summary>
    public static void Configure(IWebHostBuilder b, string connectionString, TimeProvider clock,
        Action<IServiceCollection>? services = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        b.UseSetting("ConnectionStrings:Optio", connectionString);
        b.UseSetting("Optio:ApiKeys:0", ApiKey);
        b.UseSetting("Optio:SecretsKey", SecretsKey);
        b.UseSetting("Optio:ScheduledJobPolling", "00:00:00.200");
        b.UseSetting("Optio:CloseBack:RetryDelays:0", "00:00:00.200");
        b.UseSetting("Optio:CloseBack:RetryDelays:1", "00:00:00.500");
        b.UseSetting("Optio:TicketStatus:RetryDelays:0", "00:00:00.200");
        b.UseSetting("Optio:TicketStatus:RetryDelays:1", "00:00:00.500");
        b.UseEnvironment("Testing");
        // As strict as Development: a singleton holding a scoped service fails here, not on a developer's machine.
        b.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) b.UseSetting(key, value);
        b.ConfigureServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton(clock);
            s.UseWolverineSoloMode();
            s.DisableAllExternalWolverineTransports();
            services?.Invoke(s);
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
    }
}
