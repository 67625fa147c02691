using System.Collections;
using System.Globalization;

namespace Optio.Tests.Fakes;

/// <summary>
/// Linear's filter semantics for the fields Optio filters on (IssueFilter and its comparators).
/// Anything else throws, so a query relying on a filter the fake does not model fails loudly.
/// </summary>
static class FakeLinearFilters
{
    public static bool Issue(FakeLinearIssue issue, object? filter) => All(filter, "IssueFilter", f => Issue(issue, f), (key, value) => key switch
    {
        "id" => Id(issue.Id, value),
        "title" => Text(issue.Title, value),
        "priority" => Number(issue.Priority, value),
        "labels" => Collection(issue.Labels, value, "IssueLabelCollectionFilter", Label),
        "state" => State(issue.State, value),
        "team" => Team(issue.Team, value),
        "project" => NullableProject(issue.Project, value),
        _ => throw Unsupported("IssueFilter", key),
    });

    public static bool Label(FakeLinearLabel label, object? filter) => All(filter, "IssueLabelFilter", f => Label(label, f), (key, value) => key switch
    {
        "id" => Id(label.Id, value),
        "name" => Text(label.Name, value),
        _ => throw Unsupported("IssueLabelFilter", key),
    });

    /// <summary>A label as the root <c>issueLabels</c> sees it: a workspace label has no team.</summary>
    public static bool ScopedLabel(FakeLinearLabel label, FakeLinearTeam? team, object? filter) =>
        All(filter, "IssueLabelFilter", f => ScopedLabel(label, team, f), (key, value) => key switch
        {
            "team" => NullableTeam(team, value),
            _ => Label(label, new Dictionary<string, object?> { [key] = value }),
        });

    public static bool State(FakeLinearState state, object? filter) => All(filter, "WorkflowStateFilter", f => State(state, f), (key, value) => key switch
    {
        "id" => Id(state.Id, value),
        "name" => Text(state.Name, value),
        "type" => Text(state.Type, value),
        "position" => Number(state.Position, value),
        "team" => Team(state.Team, value),
        _ => throw Unsupported("WorkflowStateFilter", key),
    });

    public static bool Attachment(FakeLinearAttachment attachment, object? filter) => All(filter, "AttachmentFilter", f => Attachment(attachment, f), (key, value) => key switch
    {
        "id" => Id(attachment.Id, value),
        "url" => Text(attachment.Url, value),
        "title" => Text(attachment.Title, value),
        _ => throw Unsupported("AttachmentFilter", key),
    });

    static bool Team(FakeLinearTeam team, object? filter) => All(filter, "TeamFilter", f => Team(team, f), (key, value) => key switch
    {
        "id" => Id(team.Id, value),
        "key" => Text(team.Key, value),
        "name" => Text(team.Name, value),
        _ => throw Unsupported("TeamFilter", key),
    });

    static bool NullableTeam(FakeLinearTeam? team, object? filter) => All(filter, "NullableTeamFilter", f => NullableTeam(team, f), (key, value) => key switch
    {
        "null" => Convert.ToBoolean(value, CultureInfo.InvariantCulture) == team is null,
        _ => team is not null && Team(team, new Dictionary<string, object?> { [key] = value }),
    });

    static bool NullableProject(FakeLinearProject? project, object? filter) => All(filter, "NullableProjectFilter", f => NullableProject(project, f), (key, value) => key switch
    {
        "null" => Convert.ToBoolean(value, CultureInfo.InvariantCulture) == project is null,
        "id" => project is not null && Id(project.Id, value),
        "name" => project is not null && Text(project.Name, value),
        _ => throw Unsupported("NullableProjectFilter", key),
    });

    static bool Collection<T>(IReadOnlyList<T> items, object? filter, string type, Func<T, object?, bool> match) =>
        All(filter, type, f => Collection(items, f, type, match), (key, value) => key switch
        {
            "some" => items.Any(i => match(i, value)),
            "every" => items.All(i => match(i, value)),
            "length" => Number(items.Count, value),
            _ => throw Unsupported(type, key),
        });

    /// <summary>Every field of the filter must hold; <c>and</c>/<c>or</c> combine nested filters. No filter matches all.</summary>
    static bool All(object? filter, string type, Func<object?, bool> nested, Func<string, object?, bool> field)
    {
        if (filter is null) return true;
        foreach (var (key, value) in Fields(filter, type))
        {
            var holds = key switch
            {
                "and" => List(value).All(nested),
                "or" => List(value).Any(nested),
                _ => field(key, value ?? throw new NotSupportedException($"FakeLinear does not model a null '{key}' in {type}.")),
            };
            if (!holds) return false;
        }
        return true;
    }

    static bool Text(string? actual, object? comparator) => All(comparator, "StringComparator", f => Text(actual, f), (op, value) => op switch
    {
        "eq" => actual == Str(value),
        "neq" => actual != Str(value),
        "eqIgnoreCase" => string.Equals(actual, Str(value), StringComparison.OrdinalIgnoreCase),
        "neqIgnoreCase" => !string.Equals(actual, Str(value), StringComparison.OrdinalIgnoreCase),
        "in" => List(value).Select(Str).Contains(actual),
        "nin" => !List(value).Select(Str).Contains(actual),
        "contains" => actual?.Contains(Str(value), StringComparison.Ordinal) == true,
        "containsIgnoreCase" => actual?.Contains(Str(value), StringComparison.OrdinalIgnoreCase) == true,
        "notContains" => actual?.Contains(Str(value), StringComparison.Ordinal) != true,
        "notContainsIgnoreCase" => actual?.Contains(Str(value), StringComparison.OrdinalIgnoreCase) != true,
        "startsWith" => actual?.StartsWith(Str(value), StringComparison.Ordinal) == true,
        "startsWithIgnoreCase" => actual?.StartsWith(Str(value), StringComparison.OrdinalIgnoreCase) == true,
        "notStartsWith" => actual?.StartsWith(Str(value), StringComparison.Ordinal) != true,
        "endsWith" => actual?.EndsWith(Str(value), StringComparison.Ordinal) == true,
        "notEndsWith" => actual?.EndsWith(Str(value), StringComparison.Ordinal) != true,
        _ => throw Unsupported("StringComparator", op),
    });

    static bool Id(string actual, object? comparator) => All(comparator, "IDComparator", f => Id(actual, f), (op, value) => op switch
    {
        "eq" => SameId(actual, value),
        "neq" => !SameId(actual, value),
        "in" => List(value).Any(v => SameId(actual, v)),
        "nin" => !List(value).Any(v => SameId(actual, v)),
        _ => throw Unsupported("IDComparator", op),
    });

    static bool Number(double actual, object? comparator) => All(comparator, "NumberComparator", f => Number(actual, f), (op, value) => op switch
    {
        "eq" => actual == Num(value),
        "neq" => actual != Num(value),
        "gt" => actual > Num(value),
        "gte" => actual >= Num(value),
        "lt" => actual < Num(value),
        "lte" => actual <= Num(value),
        "in" => List(value).Select(Num).Contains(actual),
        "nin" => !List(value).Select(Num).Contains(actual),
        _ => throw Unsupported("NumberComparator", op),
    });

    static bool SameId(string actual, object? value) => string.Equals(actual, Str(value), StringComparison.OrdinalIgnoreCase);

    static IEnumerable<KeyValuePair<string, object?>> Fields(object filter, string type) =>
        filter as IDictionary<string, object?> ?? throw new NotSupportedException($"FakeLinear expected an input object for {type}, got {filter.GetType().Name}.");

    static IEnumerable<object?> List(object? value) => value is IEnumerable items and not string ? items.Cast<object?>() : [value];

    static string Str(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";

    static double Num(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    static NotSupportedException Unsupported(string type, string field) => new($"FakeLinear does not model '{field}' in {type}.");
}
