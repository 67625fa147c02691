using System.Net;
using System.Net.Http.Json;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Operations;

/// <summary>
/// The service on its embedded PostgreSQL, as `dotnet run` starts it, and an operator running the
/// CLI (or by mistake a second instance) beside it: the service's database stays up, and only
/// the process that started the cluster stops it.
/// </summary>
[Trait("Category", "Faults")]
[Collection(FaultsCollection.Name)]
public class CommandLineBesideServiceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Cli_commands_and_a_second_instance_beside_a_running_service_leave_it_serving()
    {
        var dataDir = Path.Combine(TestRun.Directory, $"beside-{Guid.NewGuid():N}", "pgdata");
        var environment = new Dictionary<string, string>
        {
            ["Optio__LocalPostgres__DataDirectory"] = dataDir,
            ["Optio__LocalPostgres__Port"] = FreePort.Next().ToString(),
        };
        await using var service = await ServiceProcess.StartAsync(ServiceProcess.BuiltBesideTests, connectionString: null, environment, output.WriteLine);
        await AssertServingAsync(service);

        foreach (var command in new[] { "describe", "projections list", "db-apply", "help" })
        {
            var (exitCode, text) = await service.RunBesideAsync(command);
            Assert.True(exitCode == 0, $"`{command}` exited {exitCode}: {text}");
            await AssertServingAsync(service);
        }

        // A rebuild runs beside the service (it holds appends back only for its swap); an import must run alone.
        var rebuild = await service.RunBesideAsync("projections rebuild");
        Assert.True(rebuild.ExitCode == 0, rebuild.Output);
        Assert.Contains("Rebuilt", rebuild.Output);
        await AssertServingAsync(service);
        var import = await service.RunBesideAsync($"import {Path.Combine(TestRun.Directory, "nothing.ndjson")}");
        Assert.Equal(3, import.ExitCode);
        Assert.Contains("an Optio service is running against this database", import.Output);
        Assert.Contains("Stop the service", import.Output);
        await AssertServingAsync(service);

        var second = await service.RunBesideAsync($"--urls http://127.0.0.1:{service.Port}", TimeSpan.FromSeconds(30));
        Assert.Equal(2, second.ExitCode);
        Assert.Contains($"http://127.0.0.1:{service.Port}", second.Output);
        Assert.Contains("already in use", second.Output);
        await AssertServingAsync(service);

        // The service started the cluster, so a clean stop stops it; then a rebuild runs on its own (starting the cluster, and stopping it).
        await service.StopAsync();
        Assert.False(File.Exists(Path.Combine(dataDir, "postmaster.pid")));
        var alone = await service.RunBesideAsync("projections rebuild");
        Assert.True(alone.ExitCode == 0, alone.Output);
        Assert.False(File.Exists(Path.Combine(dataDir, "postmaster.pid")));
    }

    static async Task AssertServingAsync(ServiceProcess service)
    {
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/health/ready")).StatusCode);
        var created = await service.Http.PostAsJsonAsync("/api/tasks", new { title = "Still serving", prompt = "p" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }
}
