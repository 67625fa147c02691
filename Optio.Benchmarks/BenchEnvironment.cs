using JasperFx.Events;
using Optio.Api.Core.Database;
using Optio.Api.Tasks;
using Optio.Api.Notifications;
using System.Diagnostics;
using System.Net.Http.Headers;
using Marten;
using Optio.Tests.Infrastructure;
using Weasel.Core;

namespace Optio.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL (fsync off, as the tests run it) and the real Optio service as a
/// separate process on a loopback port, driven over HTTP: what a runner would see.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    readonly LocalPostgres _pg;
    ServiceProcess? _service;

    int _databases;

    BenchEnvironment(LocalPostgres pg) => _pg = pg;

    /// <summary>The cluster lives in the tests' run directory, so it is removed however the benchmark ends.</summary>
    public static async Task<BenchEnvironment> StartAsync() =>
        new(await LocalPostgres.StartAsync(Path.Combine(TestRun.Directory, "data"), FreePort.Next(), throwaway: true));

    public async Task<string> NewDatabaseAsync()
    {
        var name = $"bench_{++_databases}";
        await _pg.CreateDatabaseIfMissingAsync(name);
        return _pg.ConnectionString(name);
    }

    /// <summary>The event store exactly as the service configures it, for the raw-append floor.</summary>
    public static DocumentStore RawStore(string connectionString, bool quickAppend = false) => DocumentStore.For(opts =>
    {
        EventStore.Configure(opts, connectionString);
        if (quickAppend) opts.Events.AppendMode = EventAppendMode.Quick;
        TasksSetup.ConfigureStore(opts);
        NotificationsSetup.ConfigureStore(opts);
    });

    /// <summary>
    /// Starts Optio.Api (the build of this benchmark's configuration: Release to measure, Debug for the tests' smoke runs) against <paramref name="connectionString"/>, with
    /// <paramref name="environment"/> added to its environment (e.g. <c>GITHUB_TOKEN</c>).
    /// </summary>
    public async Task StartServiceAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = RepositoryPaths.Build("Optio.Api");
        // OPTIO_BENCH_PROFILE=1 leaves the runtime's diagnostics on, so `dotnet-trace collect -p <pid>` can profile the service.
        if (Environment.GetEnvironmentVariable("OPTIO_BENCH_PROFILE") == "1")
            environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["DOTNET_EnableDiagnostics"] = "1" };
        _service = await ServiceProcess.StartAsync(dll, connectionString, environment, line => Console.Error.WriteLine($"[optio {DateTime.UtcNow:HH:mm:ss.fff}] {line}"));
    }

    public HttpClient Http => _service!.Http;

    /// <summary>SIGKILL, as a crash or an OOM kill would end it.</summary>
    public async Task KillServiceAsync()
    {
        if (_service is not null) await _service.KillAsync();
        await StopServiceAsync();
    }

    public async Task StopServiceAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
        _service = null;
    }

    /// <summary>Resident memory of the service process, in MiB.</summary>
    public double ServiceMemoryMiB() => _service!.MemoryMiB();

    public async ValueTask DisposeAsync()
    {
        await StopServiceAsync();
        await _pg.StopAsync(immediate: true);
    }
}
