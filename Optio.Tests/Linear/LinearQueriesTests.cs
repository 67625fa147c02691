using System.Reflection;
using System.Text.Json;
using Optio.Tests.Fakes;
using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Linear;

/// <summary>Every document the client sends must validate against Linear's real schema, variables included.</summary>
public sealed class LinearQueriesTests
{
    static readonly LinearSettings Scoped = new("lin_api_x", "optio", teamId: Guid.NewGuid().ToString(), projectId: Guid.NewGuid().ToString());

    // Add an entry here for each new LinearQueries constant: the test below fails until there is one.
    static readonly Dictionary<string, object> Variables = new()
    {
        [nameof(LinearQueries.OpenIssues)] = new { filter = LinearQueries.OpenIssuesFilter(Scoped), first = LinearQueries.PageSize, after = "cursor" },
        [nameof(LinearQueries.IssueWorkflow)] = new { id = Guid.NewGuid().ToString("D") },
        [nameof(LinearQueries.CompleteIssue)] = new { id = Guid.NewGuid().ToString("D"), stateId = Guid.NewGuid().ToString("D") },
        [nameof(LinearQueries.IssueNow)] = new { id = Guid.NewGuid().ToString("D") },
        [nameof(LinearQueries.IssueStartedStates)] = new { id = Guid.NewGuid().ToString("D") },
        [nameof(LinearQueries.CreateComment)] = new { issueId = Guid.NewGuid().ToString("D"), body = "Optio status: **Queued**" },
        [nameof(LinearQueries.UpdateComment)] = new { id = Guid.NewGuid().ToString("D"), body = "Optio status: **Running**" },
        [nameof(LinearQueries.Teams)] = new { first = 20, after = "cursor" },
        [nameof(LinearQueries.WorkspaceLabels)] = new { first = 50, after = "cursor" },
        [nameof(LinearQueries.TeamMore)] = new { id = Guid.NewGuid().ToString("D"), projects = 50, projectsAfter = "c", states = 0, statesAfter = (string?)null, labels = 50, labelsAfter = "c" },
    };

    public static TheoryData<string> Documents()
    {
        var names = typeof(LinearQueries).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => f.Name);
        return [.. names];
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_document_validates_against_Linears_schema(string name)
    {
        var document = (string)typeof(LinearQueries).GetField(name)!.GetRawConstantValue()!;
        Assert.True(Variables.TryGetValue(name, out var variables), $"LinearQueriesTests.Variables has no sample variables for {name}.");

        var result = await LinearSchema.ValidateAsync(document, JsonSerializer.Serialize(variables));

        Assert.True(result.IsValid, $"{name}: {string.Join(" | ", result.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void There_are_documents_to_validate() => Assert.True(Documents().Count >= 3);

    [Fact]
    public async Task Open_issues_filter_without_team_or_project_validates()
    {
        var variables = new { filter = LinearQueries.OpenIssuesFilter(new LinearSettings("lin_api_x", "optio")), first = 100 };

        var result = await LinearSchema.ValidateAsync(LinearQueries.OpenIssues, JsonSerializer.Serialize(variables));

        Assert.True(result.IsValid, string.Join(" | ", result.Errors.Select(e => e.Message)));
    }

    [Theory]
    [InlineData("query { issues(first: 1) { nodes { idd } } }", "{}", "Cannot query field 'idd' on type 'Issue'")]
    [InlineData("query($f: IssueFilter!) { issues(filter: $f) { nodes { id } } }", """{"f": {"labelz": {}}}""", "Unrecognized input fields 'labelz'")]
    [InlineData("query($id: String!) { issue(id: $id) { id } }", "{}", "No value provided for a non-null variable")]
    [InlineData("mutation { issueUpdate(id: \"x\", input: { stateID: \"y\" }) { success } }", "{}", "stateID")]
    public async Task Validation_rejects_what_Linear_would(string document, string variables, string expected)
    {
        var result = await LinearSchema.ValidateAsync(document, variables);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Schema_copy_matches_the_shared_fixture_when_it_is_there()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Optio.sln"))) dir = dir.Parent;
        var shared = dir is null ? null : Path.Combine(dir.FullName, "..", "shared", "fixtures", "linear", "schema.graphql");
        if (shared is null || !File.Exists(shared)) return; // CI clones the repo without shared/ beside it.

        Assert.True(File.ReadAllBytes(shared).AsSpan().SequenceEqual(File.ReadAllBytes(LinearSchema.SdlPath)),
            "Optio.Tests/Fakes/linear-schema.graphql differs from shared/fixtures/linear/schema.graphql: copy it again.");
    }
}
