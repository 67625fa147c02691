using JasperFx.CommandLine;
using Optio.Api.Core.Database;
using Spectre.Console;

namespace Optio.Api.Core.Audit;

[Description("projections rebuild: rebuilds every projection from the events beside a running service, holding appends back only for the swap",
    Name = Name)]
public sealed class RebuildProjectionsCommand : JasperFxAsyncCommand<NetCoreInput>
{
    public const string Name = "projections-rebuild";

    public override async Task<bool> Execute(NetCoreInput input)
    {
        using var host = input.BuildHost();
        await using var alone = await ScratchRebuildLock.TryAcquireAsync(host.Services, "projections rebuild");
        if (alone is null) return false;

        Rebuild rebuild;
        try
        {
            rebuild = await AnsiConsole.Status().StartAsync("Rebuilding", ctx =>
                ProjectionRebuild.RunAsync(host.Services, step => ctx.Status(step), default));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The swap is one transaction: whatever failed, it rolled back, and the scratch schema is dropped.
            Console.Error.WriteLine($"projections rebuild failed, the read models are untouched: {e.Message}");
            return false;
        }

        var table = new Table().AddColumn("projection").AddColumn("table").AddColumn("rows", c => c.RightAligned()).AddColumn("corrected", c => c.RightAligned());
        foreach (var t in rebuild.Tables) table.AddRow(t.Projection, t.Table, $"{t.Rows:N0}", $"{t.Corrected:N0}");
        AnsiConsole.Write(table);
        var corrected = rebuild.Tables.Sum(t => t.Corrected);
        AnsiConsole.MarkupLineInterpolated(
            $"[green]Rebuilt[/] {rebuild.Tables.Count} tables, {corrected:N0} row(s) corrected; {rebuild.StreamsCaughtUp:N0} stream(s) moved meanwhile and were projected again.");
        AnsiConsole.MarkupLineInterpolated(
            $"Appends waited {rebuild.SwapHeld.TotalMilliseconds:N0} ms at the swap ({rebuild.StreamsCaughtUpAtSwap:N0} stream(s) caught up then); longest of {rebuild.Pauses} pauses {rebuild.LongestPause.TotalMilliseconds:N0} ms.");
        return true;
    }
}
