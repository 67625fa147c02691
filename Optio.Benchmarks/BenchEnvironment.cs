using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Marten;
using Optio.Api.Infrastructure;
using Optio.Projections;
using Weasel.Core;

namespace Optio.Benchmarks;

/// <summary>
/// A throwaway PostgreSQL (fsync off, as the tests run it) and the real Optio service as a
/// separate process on a loopback port, driven over HTTP: what a runner would see.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    const string ApiKey = "bench-key";
    readonly LocalPostgres _pg;
    readonly string _root;
    Process? _service;

    public HttpClient Http { get; private set; } = null!;
    int _databases;

    BenchEnvironment(LocalPostgres pg, string root) => (_pg, _root) = (pg, root);

    public static async Task<BenchEnvironment> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"optio-bench-{Environment.ProcessId}");
        var pg = await LocalPostgres.StartAsync(Path.Combine(root, "data"), FreePort(), throwaway: true);
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
        var port = FreePort();
        var dll = Path.Combine(RepoRoot(), "Optio.Api", "bin", "Release", "net10.0", "Optio.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException("Build first: dotnet build -c Release Optio.sln", dll);
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" --urls http://127.0.0.1:{port}")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Optio"] = connectionString,
                ["Optio__ApiKeys__0"] = ApiKey,
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        _service = Process.Start(psi)!;
        _service.OutputDataReceived += (_, _) => { };
        _service.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[optio] {e.Data}"); };
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();

        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiKey) },
        };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await Http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (_service.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException("Optio.Api did not become ready.");
            await Task.Delay(200);
        }
    }

    public async Task StopServiceAsync()
    {
        if (_service is { HasExited: false })
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }
        _service = null;
        Http?.Dispose();
    }

    /// <summary>Resident memory of the service process, in MiB.</summary>
    public double ServiceMemoryMiB()
    {
        _service!.Refresh();
        return _service.WorkingSet64 / 1024.0 / 1024.0;
    }

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

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
