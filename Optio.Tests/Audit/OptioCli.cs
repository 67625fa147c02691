using Optio.Tests.Infrastructure;

namespace Optio.Tests.Audit;

/// <summary>Optio's command line (the built Optio.Api.dll) against a database, as an operator runs it beside the service.</summary>
public static class OptioCli
{
    public static Task<(int ExitCode, string Output)> RunAsync(string connectionString, params string[] arguments) =>
        CommandRun.RunAsync("dotnet", [ServiceProcess.BuiltBesideTests, .. arguments], new Dictionary<string, string>
        {
            ["ConnectionStrings__Optio"] = connectionString,
            ["Optio__ApiKeys__0"] = ApiHost.ApiKey,
            ["Optio__SecretsKey"] = ApiHost.SecretsKey,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
            ["COLUMNS"] = "240",
        }, TimeSpan.FromMinutes(3), Path.GetDirectoryName(ServiceProcess.BuiltBesideTests));
}
