using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Optio.Api.Core.Http.OpenApi;

/// <summary>
/// One tag per operation, by feature, from the route alone: a new endpoint under an existing prefix is grouped without
/// touching this file, and the first matching rule wins (so the runner routes under <c>/api/tasks</c> come first).
/// </summary>
public static class ApiTags
{
    public const string Tasks = "Tasks", Runners = "Runners", Tickets = "Tickets", Issues = "Issues", PullRequests = "Pull requests",
        Webhooks = "Webhooks", Repositories = "Repositories", Secrets = "Secrets";

    /// <summary>The tags, in the order Scalar lists them, with what each groups.</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Tasks, "Tasks: create them by hand, list and read them (now, or as they were), their event history; cancel and retry."),
        (Runners, "What an agent runner calls: claim the next task, keep its lease with heartbeats, start, report the pull request, fail."),
        (Tickets, "Ticket providers (GitHub Issues, Linear) that import tickets as tasks: configure, sync, their runs, Linear discovery, and Linear's signed webhook."),
        (Issues, "Open GitHub issues across connected repositories, and assigning one to Optio (a task)."),
        (PullRequests, "GitHub's signed webhook (pull requests, reviews, CI and issue events) and the log of its deliveries."),
        (Webhooks, "Outbound webhook subscriptions, their deliveries (redeliver, recover, test) and the Slack test."),
        (Repositories, "Connected GitHub repositories: default branch and Slack notifications."),
        (Secrets, "Encrypted secrets Optio uses (GitHub token, webhook secrets, Linear keys): set, list (names only), delete."),
    ];

    static readonly (string Method, string Pattern, string Tag)[] Rules =
    [
        ("POST", "/api/tasks/claim", Runners),
        ("POST", "/api/tasks/{id}/heartbeat", Runners),
        ("POST", "/api/tasks/{id}/start", Runners),
        ("POST", "/api/tasks/{id}/pr", Runners),
        ("POST", "/api/tasks/{id}/fail", Runners),
        ("*", "/api/tasks", Tasks),
        ("*", "/api/tickets", Tickets),
        ("*", "/api/webhooks/linear", Tickets),
        ("*", "/api/issues", Issues),
        ("*", "/api/webhooks/github", PullRequests),
        ("*", "/api/webhooks", Webhooks),
        ("*", "/api/slack", Webhooks),
        ("*", "/api/repos", Repositories),
        ("*", "/api/secrets", Secrets),
    ];

    /// <summary>The tag of a route: a rule's pattern is the route itself or a prefix of it (whole segments).</summary>
    public static string? For(string method, string route)
    {
        route = "/" + route.Trim('/');
        foreach (var (m, pattern, tag) in Rules)
            if ((m == "*" || string.Equals(m, method, StringComparison.OrdinalIgnoreCase))
                && (route.Equals(pattern, StringComparison.OrdinalIgnoreCase) || route.StartsWith(pattern + "/", StringComparison.OrdinalIgnoreCase)))
                return tag;
        return null;
    }

    internal static void Describe(OpenApiDocument document) =>
        document.Tags = new HashSet<OpenApiTag>(All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));

    internal static void Tag(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var tag = For(context.Description.HttpMethod ?? "GET", context.Description.RelativePath ?? "");
        operation.Tags = tag is null ? null : new HashSet<OpenApiTagReference> { new(tag, context.Document) };
    }
}
