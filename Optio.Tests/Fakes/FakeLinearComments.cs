using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Utilities;

namespace Optio.Tests.Fakes;

public sealed class FakeLinearComment
{
    public string Id { get; } = Guid.NewGuid().ToString();
    public required string Body { get; set; }
    public int Edits { get; set; }
}

public sealed record FakeLinearCommentPayload(bool Success, FakeLinearComment Comment, double LastSyncId);

/// <summary>Linear's <c>commentCreate</c> and <c>commentUpdate</c> over the fake's issues; a comment deleted by a test is "Entity not found".</summary>
static class FakeLinearComments
{
    public static void Register(SchemaBuilder builder)
    {
        Mutation(builder, "commentCreate", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var input = ctx.GetArgument<Dictionary<string, object?>>("input");
            if (input.Keys.FirstOrDefault(k => k is not ("issueId" or "body")) is { } other)
                throw new NotSupportedException($"FakeLinear's commentCreate takes issueId and body, not '{other}'.");
            lock (data.Gate)
            {
                var issueId = input.GetValueOrDefault("issueId") as string ?? throw new ExecutionError("Invalid input: issueId is required.") { Code = "INVALID_INPUT" };
                var issue = data.Issues.FirstOrDefault(i => i.Id == issueId || i.Identifier == issueId)
                    ?? throw new ExecutionError("Entity not found: Issue") { Code = "INVALID_INPUT" };
                var comment = new FakeLinearComment { Body = input.GetValueOrDefault("body") as string ?? "" };
                issue.Comments.Add(comment);
                return new FakeLinearCommentPayload(true, comment, 1);
            }
        });
        Mutation(builder, "commentUpdate", ctx =>
        {
            var data = (FakeLinearData)ctx.Source!;
            var id = ctx.GetArgument<string>("id");
            var input = ctx.GetArgument<Dictionary<string, object?>>("input");
            lock (data.Gate)
            {
                var comment = data.Issues.SelectMany(i => i.Comments).FirstOrDefault(c => c.Id == id)
                    ?? throw new ExecutionError("Entity not found: Comment") { Code = "INVALID_INPUT" };
                comment.Body = input.GetValueOrDefault("body") as string ?? comment.Body;
                comment.Edits++;
                return new FakeLinearCommentPayload(true, comment, 1);
            }
        });
    }

    static void Mutation(SchemaBuilder builder, string field, Func<IResolveFieldContext, object?> resolve) =>
        builder.Types.For("Mutation").FieldFor(field).Resolver = new FuncFieldResolver<object?>(resolve);
}
