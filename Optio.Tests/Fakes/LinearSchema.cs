using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace Optio.Tests.Fakes;

/// <summary>
/// Linear's real public schema as a GraphQL.NET schema, built once per test run (~0.5 s).
/// The SDL is a copy of shared/fixtures/linear/schema.graphql (linear/linear
/// packages/sdk/src/schema.graphql at 8335e09, MIT, © 2019 Linear), kept in the repo because CI
/// may run without shared/ beside it.
/// </summary>
public static class LinearSchema
{
    public static string SdlPath => Path.Combine(AppContext.BaseDirectory, "Fakes", "linear-schema.graphql");

    static readonly Lazy<ISchema> Built = new(Build);

    /// <summary>The schema, with <see cref="FakeLinear"/>'s resolvers (which validation ignores).</summary>
    public static ISchema Instance => Built.Value;

    /// <summary>Parses and validates a document against the schema, variable values included.</summary>
    public static async Task<IValidationResult> ValidateAsync(string document, string variablesJson = "{}")
    {
        var parsed = Parser.Parse(document);
        return await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = Instance,
            Document = parsed,
            Operation = parsed.Definitions.OfType<GraphQLOperationDefinition>().Single(),
            Variables = new GraphQLSerializer().Deserialize<Inputs>(variablesJson) ?? Inputs.Empty,
            Rules = DocumentValidator.CoreRules,
        });
    }

    static ISchema Build()
    {
        var sdl = WithoutSubscriptions(File.ReadAllText(SdlPath));
        var definitions = Parser.Parse(sdl).Definitions;
        var schema = Schema.For(sdl, builder =>
        {
            // Unions and interfaces need each object type to say what it is; the fake never returns a union.
            foreach (var type in definitions.OfType<GraphQLObjectTypeDefinition>())
                builder.Types.For(type.Name.StringValue).IsTypeOfFunc = _ => true;
            FakeLinearResolvers.Register(builder);
            FakeLinearComments.Register(builder);
        });
        // GraphQL.NET knows only the standard scalars; Linear's own (DateTime, JSONObject, …) travel as strings.
        foreach (var scalar in definitions.OfType<GraphQLScalarTypeDefinition>())
            schema.RegisterType(new StringGraphType { Name = scalar.Name.StringValue });
        schema.Initialize();
        return schema;
    }

    // GraphQL.NET cannot build Linear's subscription root; Optio never subscribes.
    static string WithoutSubscriptions(string sdl)
    {
        var start = sdl.IndexOf("\ntype Subscription {", StringComparison.Ordinal);
        var end = sdl.IndexOf("\n}\n", start, StringComparison.Ordinal);
        if (start < 0 || end < 0) throw new InvalidOperationException($"{SdlPath} has no 'type Subscription' block to drop.");
        return (sdl[..start] + sdl[(end + 2)..]).Replace("  subscription: Subscription\n", "", StringComparison.Ordinal);
    }
}
