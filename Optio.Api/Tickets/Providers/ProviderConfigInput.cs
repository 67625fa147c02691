using System.Text.Json;
using System.Text.RegularExpressions;
using Optio.Api.Integrations.Secrets;
using Optio.Domain.Repos;

namespace Optio.Api.Tickets.Providers;

/// <summary>Turns a request's <c>config</c> object into a provider configuration, or a message naming the field that is wrong.</summary>
public static partial class ProviderConfigInput
{
    public const string DefaultLabel = "optio";

    sealed record GitHubInput(string[]? Repos, string[]? Labels, string? Assignee, string? TokenSecret, bool? PublishStatus,
        Dictionary<string, int>? PriorityLabels = null);
    sealed record LinearInput(string? ApiKey, string? ApiKeySecret, string? TeamId, string? ProjectId, string? Label, bool? PublishStatus,
        string? Team = null, string? Project = null);

    /// <summary>
    /// What the config names in Linear's terms: a team (key or name) and project (name) to resolve to ids, and a label given
    /// explicitly (not the default) to check exists, before the config is stored.
    /// </summary>
    public sealed record LinearNames(string? Team, string? Project, string? Label)
    {
        public bool Any => Team is not null || Project is not null || Label is not null;
    }

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow };

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex OwnerSlashRepo();

    public static string? ParseGitHub(JsonElement config, out GitHubProviderConfig? parsed)
    {
        parsed = null;
        if (Read<GitHubInput>(config, out var input) is { } error) return error;
        if (input!.Repos is not { Length: > 0 }) return "'config.repos' needs at least one repository (\"owner/repo\" or its URL).";
        var repos = new List<WatchedRepo>();
        foreach (var entry in input.Repos)
        {
            if (ParseRepo(entry) is not { } repo) return $"'config.repos': '{entry}' is not a repository (\"owner/repo\" or https://github.com/owner/repo).";
            if (!repos.Contains(repo)) repos.Add(repo);
        }
        var labels = input.Labels ?? [DefaultLabel];
        if (labels.Length == 0 || labels.Any(string.IsNullOrWhiteSpace)) return "'config.labels' must hold at least one non-empty label (a ticket needs ANY of them).";
        if (input.Assignee is { } a && string.IsNullOrWhiteSpace(a)) return "'config.assignee' must be a GitHub login or null.";
        var tokenSecret = input.TokenSecret ?? SecretStore.GitHubToken;
        if (SecretEndpoints.NameProblem(tokenSecret) is { } nameProblem) return $"'config.tokenSecret': {nameProblem}";
        if (PriorityLabelsProblem(input.PriorityLabels) is { } priorityProblem) return priorityProblem;
        parsed = new GitHubProviderConfig(repos, labels.Select(l => l.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), input.Assignee?.Trim(), tokenSecret,
            input.PublishStatus ?? true, input.PriorityLabels?.ToDictionary(p => p.Key.Trim(), p => p.Value, StringComparer.OrdinalIgnoreCase));
        return null;
    }

    /// <summary>An inline <c>apiKey</c> comes back in <paramref name="inlineApiKey"/>, to be stored as a secret, never in the provider.</summary>
    public static string? ParseLinear(JsonElement config, string defaultSecretName, out LinearProviderConfig? parsed, out string? inlineApiKey, out LinearNames names)
    {
        parsed = null;
        inlineApiKey = null;
        names = new LinearNames(null, null, null);
        if (Read<LinearInput>(config, out var input) is { } error) return error;
        if (input!.ApiKey is { } key && string.IsNullOrWhiteSpace(key)) return "'config.apiKey' must not be empty.";
        if (input.ApiKey is null && input.ApiKeySecret is null) return "'config.apiKey' (or 'config.apiKeySecret', the name of a stored secret) is required.";
        var secret = input.ApiKeySecret ?? defaultSecretName;
        if (SecretEndpoints.NameProblem(secret) is { } nameProblem) return $"'config.apiKeySecret': {nameProblem}";
        if (input.TeamId is { } team && string.IsNullOrWhiteSpace(team)) return "'config.teamId' must not be empty.";
        if (input.ProjectId is { } project && string.IsNullOrWhiteSpace(project)) return "'config.projectId' must not be empty.";
        if (input.Team is not null && input.TeamId is not null) return "Give 'config.team' (a key or name) or 'config.teamId', not both.";
        if (input.Project is not null && input.ProjectId is not null) return "Give 'config.project' (a name) or 'config.projectId', not both.";
        if (input.Team is { } teamName && string.IsNullOrWhiteSpace(teamName)) return "'config.team' must not be empty.";
        if (input.Project is { } projectName && string.IsNullOrWhiteSpace(projectName)) return "'config.project' must not be empty.";
        var label = input.Label ?? DefaultLabel;
        if (string.IsNullOrWhiteSpace(label)) return "'config.label' must not be empty.";
        names = new LinearNames(input.Team?.Trim(), input.Project?.Trim(), input.Label?.Trim());
        inlineApiKey = input.ApiKey?.Trim();
        parsed = new LinearProviderConfig(input.TeamId?.Trim(), input.ProjectId?.Trim(), label.Trim(), secret, input.PublishStatus ?? true);
        return null;
    }

    static string? PriorityLabelsProblem(Dictionary<string, int>? map)
    {
        if (map is null) return null;
        if (map.Keys.FirstOrDefault(string.IsNullOrWhiteSpace) is not null) return "'config.priorityLabels' maps label names: a name must not be empty.";
        if (map.FirstOrDefault(p => !Optio.Domain.Tasks.TaskPriority.IsValid(p.Value)) is { Key: not null } bad)
            return $"'config.priorityLabels.{bad.Key}' must be {Optio.Domain.Tasks.TaskPriority.Scale}; got {bad.Value}.";
        if (map.Keys.GroupBy(k => k.Trim(), StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return $"'config.priorityLabels' names '{twice.Key}' twice (labels match in any case).";
        return null;
    }

    public static string? ParseApiUrl(string? apiUrl) =>
        apiUrl is null || Uri.TryCreate(apiUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.UserInfo)
            ? null
            : $"'apiUrl': '{apiUrl}' is not an absolute http(s) URL.";

    static WatchedRepo? ParseRepo(string? entry)
    {
        if (string.IsNullOrWhiteSpace(entry)) return null;
        var value = entry.Trim();
        if (OwnerSlashRepo().IsMatch(value.EndsWith(".git") ? value[..^4] : value))
        {
            var parts = (value.EndsWith(".git") ? value[..^4] : value).Split('/');
            return new WatchedRepo(parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant());
        }
        return GitHubUrl.Repo(value) is { } url ? new WatchedRepo(url.Owner, url.Name) : null;
    }

    static string? Read<T>(JsonElement config, out T? value) where T : class
    {
        value = null;
        if (config.ValueKind != JsonValueKind.Object) return "'config' must be a JSON object.";
        try
        {
            value = config.Deserialize<T>(Json);
            return value is null ? "'config' must be a JSON object." : null;
        }
        catch (JsonException e)
        {
            return $"'config{(e.Path is { Length: > 1 } path ? path[1..] : "")}' is invalid: {e.Message.Split(" Path:")[0]}";
        }
    }
}
