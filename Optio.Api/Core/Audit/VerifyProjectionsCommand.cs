using JasperFx.CommandLine;
using Spectre.Console;

namespace Optio.Api.Core.Audit;

[Description("projections verify: rebuilds every projection into a scratch schema and compares it with the live read models; exit 1 on drift",
    Name = VerifyProjectionsCommand.Name)]
public sealed class VerifyProjectionsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public const string Name = "projections-verify";

    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        await using var alone = await ScratchRebuildLock.TryAcquireAsync(host.Services, "projections verify");
        if (alone is null) return false;
        var result = await AnsiConsole.Status().StartAsync("Rebuilding", ctx =>
            ProjectionVerifier.VerifyAsync(host.Services, step => ctx.Status(step), default));
        if (result.Drifts.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]0 differences[/]: {result.RowsCompared:N0} rows of {result.Projections} projections are what the events make.");
            return true;
        }
        // Plain lines, not a table: a row id must survive a narrow terminal and a pipe to grep.
        foreach (var drift in result.Drifts)
        {
            Console.WriteLine($"{drift.Projection} row {drift.Id} {drift.What} ({drift.Table})");
            Console.WriteLine($"  live:            {Short(drift.Live)}");
            Console.WriteLine($"  from the events: {Short(drift.Rebuilt)}");
        }
        AnsiConsole.MarkupLineInterpolated($"[red]{result.Drifts.Count} difference(s)[/] in {result.RowsCompared:N0} rows. `projections rebuild` makes the read models what the events say.");
        return false;
    }

    static string Short(string? json) => json is null ? "—" : json.Length <= 200 ? json : json[..200] + "…";
}
