namespace Optio.Api.Core.Database;

/// <summary>Where the event store lives: the configured server, or the embedded local cluster.</summary>
public static class DatabaseSetup
{
    public static async Task<string> ResolveConnectionStringAsync(WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetConnectionString("Optio") is { Length: > 0 } configured)
            return configured;

        var section = builder.Configuration.GetSection("Optio:LocalPostgres");
        var dataDir = LocalPostgres.ReachableDataDir(section["DataDirectory"]
            ?? Path.Combine(builder.Environment.ContentRootPath, ".optio", "pgdata"));
        var port = section.GetValue("Port", 54329);
        var database = section["Database"] ?? "optio";

        var pg = await LocalPostgres.StartAsync(dataDir, port);
        await pg.CreateDatabaseIfMissingAsync(database);
        // Stop on shutdown what we started (only that: a CLI command or a second instance beside a
        // running service leaves its database alone), so `dotnet run` leaves no postgres behind.
        // ProcessExit covers the JasperFx commands (projections, describe) that never run the host.
        builder.Services.AddSingleton(pg);
        builder.Services.AddHostedService<LocalPostgresLifetime>();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => pg.StopAsync().GetAwaiter().GetResult();
        return pg.ConnectionString(database);
    }

    sealed class LocalPostgresLifetime(LocalPostgres pg) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => pg.StopAsync();
    }
}
