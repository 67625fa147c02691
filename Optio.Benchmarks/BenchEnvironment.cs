using System.Diagnostics;
using System.Net.Http.Headers;
using Marten;
using Optio.Api.Infrastructure;
using Optio.Projections;
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
    readonly string _root;
    ServiceProcess? _service;

    int _databases;

    BenchEnvironment(LocalPostgres pg, string root) => (_pg, _root) = (pg, root);

    public static async Task<BenchEnvironment> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"optio-bench-{Environment.ProcessId}");
        var pg = await LocalPostgres.StartAsync(Path.Combine(root, "data"), FreePort.Next(), throwaway: true);
        return new BenchEnvironment(pg, root);
    }

    public async Task<string> NewDatabaseAsync()
    {
        var name = $"bench_{++_databases}";
        await _pg.CreateDatabaseIfMissingAsync(name);
        return _pg.ConnectionString(name);
    }

    /// <summary>The event store exactly as the service configures it, for the raw-append floor.</summary>
    public static DocumentStore RawStore(string connectionString) => DocumentStore.For(opts =>
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = "optio";
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        opts.AddOptioProjections();
    });

    /// <summary>
    /// Starts Optio.Api (Release build next to this one) against <paramref name="connectionString"/>, with
    /// <paramref name="environment"/> added to its environment (e.g. <c>GITHUB_TOKEN</c>).
    /// </summary>
    public async Task StartServiceAsync(string connectionString, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(RepoRoot(), "Optio.Api", "bin", "Release", "net10.0", "Optio.Api.dll");
        _service = await ServiceProcess.StartAsync(dll, connectionString, environment, line => Console.Error.WriteLine($"[optio] {line}"));
    }

    public HttpClient Http => _service!.Http;

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
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string RepoRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "Optio.sln"))) return dir;
        throw new InvalidOperationException("Run from inside the Optio repository.");
    }
}
