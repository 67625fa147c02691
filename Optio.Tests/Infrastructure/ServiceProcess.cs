using System.Diagnostics;
using System.Net.Http.Headers;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// The real Optio service as its own process on a loopback port, driven over HTTP: what a runner
/// sees, and something a test can SIGKILL. Shared by the fault tests and the benchmarks.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    public const string ApiKey = "service-process-key";

    /// <summary>The Optio.Api.dll copied next to the test assembly.</summary>
    public static string BuiltBesideTests => Path.Combine(AppContext.BaseDirectory, "Optio.Api.dll");
    readonly Process _process;
    readonly string _dll;
    readonly IReadOnlyDictionary<string, string> _environment;

    public HttpClient Http { get; }
    public int Port { get; }

    ServiceProcess(Process process, HttpClient http, string dll, int port, IReadOnlyDictionary<string, string> environment) =>
        (_process, Http, _dll, Port, _environment) = (process, http, dll, port, environment);

    /// <param name="dll">Optio.Api.dll to run (next to the tests, or a Release build for benchmarks).</param>
    /// <param name="connectionString">Its database; null for the embedded cluster its settings in <paramref name="environment"/> name.</param>
    public static async Task<ServiceProcess> StartAsync(string dll, string? connectionString, IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? log = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException("Build Optio.Api first.", dll);
        var settings = new Dictionary<string, string>
        {
            ["Optio__ApiKeys__0"] = ApiKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Optio__SecretsKey"] = Convert.ToBase64String(new byte[32]),
            // No diagnostic pipes in /tmp: a SIGKILLed runtime cannot remove them, and the fault tests kill on purpose.
            ["DOTNET_EnableDiagnostics"] = "0",
        };
        if (connectionString is not null) settings["ConnectionStrings__Optio"] = connectionString;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) settings[name] = value;

        var port = FreePort.Next();
        var process = Start(dll, $"--urls http://127.0.0.1:{port}", settings, log);
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiKey) },
        };
        var service = new ServiceProcess(process, http, dll, port, settings);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return service;
            }
            catch (HttpRequestException) { }
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
            {
                await service.DisposeAsync();
                throw new InvalidOperationException("Optio.Api did not become ready.");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Runs Optio.Api once more with this service's settings (a CLI command, a second instance) and waits for it to end.</summary>
    /// <param name="environment">Settings of this run only, over the service's.</param>
    public Task<(int ExitCode, string Output)> RunBesideAsync(string arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null) =>
        CommandRun.RunAsync("dotnet", [_dll, .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)],
            new Dictionary<string, string>(_environment.Concat(environment ?? new Dictionary<string, string>()).GroupBy(e => e.Key).Select(g => g.Last())),
            timeout ?? TimeSpan.FromSeconds(120), Path.GetDirectoryName(_dll));

    static Process Start(string dll, string arguments, IReadOnlyDictionary<string, string> environment, Action<string>? log)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment) psi.Environment[name] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Ctrl+C or a service manager stops it: a clean shutdown.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        using (var term = Process.Start("kill", $"-TERM {_process.Id}")) await term.WaitForExitAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(limit.Token);
    }

    public double MemoryMiB()
    {
        _process.Refresh();
        return _process.WorkingSet64 / 1024.0 / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        _process.Dispose();
    }
}
