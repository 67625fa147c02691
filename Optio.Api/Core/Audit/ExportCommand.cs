using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Npgsql;
using Spectre.Console;

namespace Optio.Api.Core.Audit;

public sealed class ExportInput : NetCoreInput
{
    [Description("The NDJSON file to write (one event per line)")]
    [FlagAlias("out", 'o')]
    public string? OutFlag { get; set; }

    [Description("Only this task's stream")]
    [FlagAlias("task")]
    public string? TaskFlag { get; set; }

    [Description("Only streams with an event at or after this time (ISO 8601), each exported whole")]
    [FlagAlias("since")]
    public string? SinceFlag { get; set; }
}

[Description("Writes the event store as NDJSON, one event per line, whole streams in order; safe beside a running service", Name = "export")]
public sealed class ExportCommand : JasperFxAsyncCommand<ExportInput>
{
    public ExportCommand() => Usage("Export events");

    public override async Task<bool> Execute(ExportInput input)
    {
        if (string.IsNullOrWhiteSpace(input.OutFlag)) return Refuse("--out <file.ndjson> is required: where to write the events.");
        Guid? task = null;
        if (input.TaskFlag is { } id)
        {
            if (!Guid.TryParse(id, out var parsed)) return Refuse($"--task must be a task id (a GUID); got '{id}'.");
            task = parsed;
        }
        DateTimeOffset? since = null;
        if (input.SinceFlag is { } time)
        {
            if (!DateTimeOffset.TryParse(time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return Refuse($"--since must be a time such as 2026-11-30T12:00:00Z; got '{time}'.");
            since = parsed;
        }

        using var host = input.BuildHost();
        var database = host.Services.GetRequiredService<NpgsqlDataSource>();
        var schema = host.Services.GetRequiredService<IDocumentStore>().Options.Events.DatabaseSchemaName;
        var filter = new ExportFilter(task, since);
        var total = await EventExport.CountAsync(database, schema, filter, default);
        var clock = Stopwatch.StartNew();
        long written = 0;
        await using (var file = new FileStream(input.OutFlag, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            await AnsiConsole.Progress().AutoClear(false).StartAsync(async ctx =>
            {
                var bar = ctx.AddTask($"Exporting {total:N0} events", maxValue: Math.Max(total, 1));
                written = await EventExport.WriteAsync(database, schema, filter, file, n => bar.Value = n, default);
                bar.Value = bar.MaxValue;
            });
        }
        AnsiConsole.MarkupLineInterpolated($"Exported [green]{written:N0}[/] events to {input.OutFlag} in {clock.Elapsed.TotalSeconds:F1} s ({Rate(written, clock.Elapsed):N0} events/s).");
        return true;
    }

    internal static double Rate(long events, TimeSpan elapsed) => elapsed.TotalSeconds > 0 ? events / elapsed.TotalSeconds : events;

    internal static bool Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return false;
    }
}
