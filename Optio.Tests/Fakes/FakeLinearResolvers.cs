using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Utilities;

namespace Optio.Tests.Fakes;

/// <summary>
/// The root fields and connections FakeLinear answers; every other field resolves by name from the
/// data objects. A filter or argument the fake does not model fails the request instead of being ignored.
/// </summary>
static class FakeLinearResolvers
{
    public static void Register(SchemaBuilder builder)
    {
        Field(builder, "Query", "issues", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var filter = ctx.GetArgument<Dictionary<string, object?>?>("filter");
            lock (data.Gate)
                return Page(ctx, [.. data.Issues.Where(i => FakeLinearFilters.Issue(i, filter))], i => i.Id);
        });
        Field(builder, "Query", "issue", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            lock (data.Gate)
                return Find(data, ctx.GetArgument<string>("id"));
        });
        Field(builder, "Mutation", "issueUpdate", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var input = ctx.GetArgument<Dictionary<string, object?>>("input");
            lock (data.Gate)
                return Update(data, Find(data, ctx.GetArgument<string>("id")), input);
        });
        Field(builder, "Issue", "labels", ctx =>
        {
            var filter = ctx.GetArgument<Dictionary<string, object?>?>("filter");
            return Page(ctx, [.. ((FakeLinearIssue)ctx.Source!).Labels.Where(l => FakeLinearFilters.Label(l, filter))], l => l.Id);
        });
        Field(builder, "Issue", "attachments", ctx =>
        {
            var filter = ctx.GetArgument<Dictionary<string, object?>?>("filter");
            return Page(ctx, [.. ((FakeLinearIssue)ctx.Source!).Attachments.Where(a => FakeLinearFilters.Attachment(a, filter))], a => a.Id);
        });
        Field(builder, "Query", "teams", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            lock (data.Gate)
                return Page(ctx, [.. data.Teams], t => t.Id);
        });
        Field(builder, "Query", "team", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var id = ctx.GetArgument<string>("id");
            lock (data.Gate)
                return data.Teams.FirstOrDefault(t => t.Id == id || t.Key == id) ?? throw new ExecutionError("Entity not found: Team") { Code = "INVALID_INPUT" };
        });
        Field(builder, "Query", "issueLabels", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var filter = ctx.GetArgument<Dictionary<string, object?>?>("filter");
            lock (data.Gate)
                return Page(ctx, [.. data.WorkspaceLabels.Select(l => (Label: l, Team: (FakeLinearTeam?)null))
                    .Concat(data.Teams.SelectMany(t => t.Labels.Select(l => (Label: l, Team: (FakeLinearTeam?)t))))
                    .Where(x => FakeLinearFilters.ScopedLabel(x.Label, x.Team, filter)).Select(x => x.Label)], l => l.Id);
        });
        Field(builder, "Team", "projects", ctx => Page(ctx, [.. ((FakeLinearTeam)ctx.Source!).Projects], p => p.Id));
        Field(builder, "Team", "labels", ctx => Page(ctx, [.. ((FakeLinearTeam)ctx.Source!).Labels], l => l.Id));
        Field(builder, "Issue", "inverseRelations", ctx =>
        {
            var issue = (FakeLinearIssue)ctx.Source!;
            return Page(ctx, [.. issue.BlockedBy.Select(b => new FakeLinearRelation { Type = "blocks", Issue = b, RelatedIssue = issue })], r => r.Id);
        });
        Field(builder, "Team", "states", ctx =>
        {
            var filter = ctx.GetArgument<Dictionary<string, object?>?>("filter");
            return Page(ctx, [.. ((FakeLinearTeam)ctx.Source!).States.Where(s => FakeLinearFilters.State(s, filter))], s => s.Id);
        });
    }

    static void Field(SchemaBuilder builder, string type, string field, Func<IResolveFieldContext, object?> resolve) =>
        builder.Types.For(type).FieldFor(field).Resolver = new FuncFieldResolver<object?>(resolve);

    /// <summary>Forward paging as Linear does it: <c>first</c> (default 50) after an opaque cursor.</summary>
    static FakeLinearConnection<T> Page<T>(IResolveFieldContext ctx, List<T> all, Func<T, string> cursor)
    {
        if (ctx.HasArgument("last") || ctx.HasArgument("before"))
            throw new NotSupportedException("FakeLinear pages forward only (first/after).");
        var first = ctx.GetArgument<int?>("first") ?? 50;
        var start = 0;
        if (ctx.GetArgument<string?>("after") is { } after)
        {
            var index = all.FindIndex(x => cursor(x) == after);
            if (index < 0) throw new ExecutionError($"Invalid cursor '{after}'.");
            start = index + 1;
        }
        var nodes = all.Skip(start).Take(first).ToList();
        return new(nodes, new FakeLinearPageInfo(
            HasNextPage: start + nodes.Count < all.Count,
            EndCursor: nodes.Count > 0 ? cursor(nodes[^1]) : null,
            HasPreviousPage: start > 0,
            StartCursor: nodes.Count > 0 ? cursor(nodes[0]) : null));
    }

    /// <summary>Linear's <c>issue(id:)</c> takes the UUID or the identifier (ENG-42).</summary>
    static FakeLinearIssue Find(FakeLinearData data, string id) =>
        data.Issues.FirstOrDefault(i => i.Id.Equals(id, StringComparison.OrdinalIgnoreCase) || i.Identifier.Equals(id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ExecutionError("Entity not found: Issue") { Code = "INVALID_INPUT" };

    static FakeLinearIssuePayload Update(FakeLinearData data, FakeLinearIssue issue, Dictionary<string, object?> input)
    {
        if (input.Keys.FirstOrDefault(k => k != "stateId") is { } other)
            throw new NotSupportedException($"FakeLinear's issueUpdate only changes stateId, not '{other}'.");
        if (!data.IssueUpdateSucceeds) return new(false, issue, data.Updates.Count);
        if (input.GetValueOrDefault("stateId") is string stateId)
        {
            issue.State = issue.Team.States.FirstOrDefault(s => s.Id == stateId)
                ?? throw new ExecutionError($"Invalid input: workflow state {stateId} is not a state of team {issue.Team.Key}.") { Code = "INVALID_INPUT" };
            data.Updates.Add(new FakeLinearUpdate(issue.Uuid, stateId));
        }
        return new(true, issue, data.Updates.Count);
    }
}
