using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Spectre.Console;

namespace Optio.Api.Core.Audit;

public sealed class ImportInput : NetCoreInput
{
    [Description("The NDJSON file an export wrote")]
    public string File { get; set; } = "";
}

[Description("Loads an export into an empty database, rebuilds the projections, and sends nothing for the imported history", Name = "import")]
public sealed class ImportCommand : JasperFxAsyncCommand<ImportInput>
{
    public ImportCommand() => Usage("Import events").Arguments(x => x.File);

    public override async Task<bool> Execute(ImportInput input)
    {
        if (!System.IO.File.Exists(input.File)) return ExportCommand.Refuse($"No file '{input.File}': name the NDJSON file `export --out` wrote.");
        using var host = input.BuildHost();
        var store = (DocumentStore)host.Services.GetRequiredService<IDocumentStore>();
        var stored = await EventImport.EventsStoredAsync(store, default);
        if (stored > 0)
            return ExportCommand.Refuse($"import refused: this database already holds {stored:N0} events. Import only into an empty database: " +
                "create a new one and point ConnectionStrings:Optio at it (e.g. env ConnectionStrings__Optio), then run import again.");

        var clock = Stopwatch.StartNew();
        ImportReport report;
        try
        {
            report = await AnsiConsole.Status().StartAsync("Checking the file", async ctx =>
                await EventImport.ImportAsync(store, input.File, host.Services.GetServices<IRebuiltAfterImport>(),
                    (step, n) => ctx.Status($"{step}: {n:N0}"), default));
        }
        catch (InvalidDataException e)
        {
            return ExportCommand.Refuse($"import refused, nothing written: {e.Message}");
        }
        AnsiConsole.MarkupLineInterpolated(
            $"Imported [green]{report.Events:N0}[/] events of {report.Streams:N0} streams in {clock.Elapsed.TotalSeconds:F1} s ({ExportCommand.Rate(report.Events, clock.Elapsed):N0} events/s).");
        AnsiConsole.MarkupLineInterpolated($"Rebuilt: {string.Join(", ", report.Rebuilt)}. Subscriptions start after event {report.HighWater:N0}: nothing is sent for the imported history.");
        return true;
    }
}
