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
    readonly Process _process;

    public HttpClient Http { get; }

    ServiceProcess(Process process, HttpClient http) => (_process, Http) = (process, http);

    /// <param name="dll">Optio.Api.dll to run (next to the tests, or a Release build for benchmarks).</param>
    public static async Task<ServiceProcess> StartAsync(string dll, string connectionString, IReadOnlyDictionary<string, string>? environment = null,
        Action<string>? log = null)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException("Build Optio.Api first.", dll);
        var port = FreePort.Next();
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
                ["Optio__SecretsKey"] = Convert.ToBase64String(new byte[32]),
            },
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", ApiKey) },
        };
        var service = new ServiceProcess(process, http);
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

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill would end it.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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
