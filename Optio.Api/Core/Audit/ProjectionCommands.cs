namespace Optio.Api.Core.Audit;

/// <summary>
/// <c>projections verify</c> and <c>projections rebuild</c> reach Optio's commands: JasperFx's own <c>projections</c> knows
/// no verify, and its rebuild would empty the read models under a running service.
/// </summary>
public static class ProjectionCommands
{
    public static string[] Route(string[] args) => args switch
    {
        ["projections", "verify", .. var rest] => [VerifyProjectionsCommand.Name, .. rest],
        // Any spelling of a rebuild (`projections --interactive rebuild`, `projections rebuild --projection X`) comes here,
        // where flags this command does not know are refused, rather than to the rebuild that empties the tables.
        ["projections", .. var rest] when rest.Contains("rebuild") => [RebuildProjectionsCommand.Name, .. rest.Where(a => a != "rebuild")],
        _ => args,
    };
}
