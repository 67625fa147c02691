using JasperFx.CommandLine;
using Marten;
using Spectre.Console;
using Optio.Api.Core.Audit;
using Optio.Domain.Tasks;

namespace Optio.Api.Tasks;

public sealed class TaskInput : NetCoreInput
{
    [Description("The task's id")]
    public string Id { get; set; } = "";

    [Description("The task as it was at this version")]
    [FlagAlias("version")]
    public long? VersionFlag { get; set; }

    [Description("The task as it was at this time (ISO 8601)")]
    [FlagAlias("at")]
    public string? AtFlag { get; set; }
}

[Description("Shows a task (now, at a version, or at a time) and its timeline: time, version, event, actor, cause", Name = "task")]
public sealed class TaskCommand : JasperFxAsyncCommand<TaskInput>
{
    public TaskCommand() => Usage("Show a task").Arguments(x => x.Id);

    public override async Task<bool> Execute(TaskInput input)
    {
        if (!Guid.TryParse(input.Id, out var id)) return Refuse($"The task id must be a GUID; got '{input.Id}'.");
        if (input.VersionFlag is < 1) return Refuse("--version starts at 1.");
        if (input.VersionFlag is not null && input.AtFlag is not null) return Refuse("Ask for --version or --at, not both.");
        DateTimeOffset? at = null;
        if (input.AtFlag is { } text)
        {
            if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
                return Refuse($"--at must be a time such as 2026-11-30T12:00:00Z; got '{text}'.");
            at = parsed;
        }

        using var host = input.BuildHost();
        await using var query = host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await query.Events.FetchStreamAsync(id, input.VersionFlag ?? 0, at);
        if (events.Count == 0 || ReadTasksEndpoints.Replay(id, events) is not { } task)
            return Refuse(at is null && input.VersionFlag is null ? $"No task {id}." : $"Task {id} did not exist yet at {(object?)input.VersionFlag ?? at}.");

        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("[bold]task[/]", Markup.Escape($"{task.Id}  {task.Title}"));
        grid.AddRow("[bold]state[/]", Markup.Escape($"{task.State.WireName()} (version {task.Version})" + (task.Reason is null ? "" : $": {task.Reason}")));
        if (task.TicketKey is not null) grid.AddRow("[bold]ticket[/]", Markup.Escape(task.TicketKey));
        if (task.PrUrl is not null) grid.AddRow("[bold]pull request[/]", Markup.Escape(task.PrUrl));
        AnsiConsole.Write(grid);

        var timeline = new Table().AddColumns("time", "version", "event", "actor", "cause");
        foreach (var e in events)
        {
            var (actor, cause) = ActorHeaders.Of(e);
            timeline.AddRow(Markup.Escape(e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'")), e.Version.ToString(), Markup.Escape(e.EventTypeName),
                Markup.Escape(actor ?? ""), Markup.Escape(cause ?? ""));
        }
        AnsiConsole.Write(timeline);
        return true;
    }

    static bool Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return false;
    }
}
