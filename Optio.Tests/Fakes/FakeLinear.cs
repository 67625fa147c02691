using System.Collections.Concurrent;
using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Fakes;

/// <summary>
/// Linear's GraphQL endpoint on a loopback port. Queries are validated and executed by GraphQL.NET
/// against Linear's real schema (an invalid one gets Linear-style <c>errors</c> with HTTP 400), over
/// in-memory teams and issues whose filters and paging behave as Linear's do. Records every request,
/// and can answer the next ones with rate limiting or errors instead.
/// </summary>
public sealed class FakeLinear : IAsyncDisposable
{
    public const string DefaultApiKey = "lin_api_FAKE0123456789abcdefghijklmnopqrstuvwxyz";

    static readonly GraphQLSerializer Serializer = new();
    static readonly DocumentExecuter Executer = new();

    readonly WebApplication _app;
    readonly FakeLinearData _data = new();
    readonly ConcurrentQueue<FakeLinearRequest> _requests = new();
    readonly ConcurrentQueue<FakeLinearAnswer> _answers = new();
    readonly HttpClient _http = new();

    FakeLinear(WebApplication app) => _app = app;

    /// <summary>The GraphQL endpoint, <c>http://127.0.0.1:{port}/graphql</c>.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    /// <summary>The only Authorization header value accepted; anything else gets HTTP 401.</summary>
    public string ApiKey { get; set; } = DefaultApiKey;

    public IReadOnlyList<FakeLinearRequest> Requests => [.. _requests];

    public IReadOnlyList<FakeLinearUpdate> Updates
    {
        get { lock (_data.Gate) return [.. _data.Updates]; }
    }

    /// <summary>When false, issueUpdate answers <c>success: false</c> and changes nothing.</summary>
    public bool IssueUpdateSucceeds
    {
        get => _data.IssueUpdateSucceeds;
        set => _data.IssueUpdateSucceeds = value;
    }

    public static async Task<FakeLinear> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeLinear(builder.Build());
        fake._app.MapPost("/graphql", fake.HandleAsync);
        await fake._app.StartAsync();
        var address = fake._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.ApiUrl = new Uri(new Uri(address), "/graphql");
        return fake;
    }

    /// <summary>A real client over real HTTP to this fake.</summary>
    public LinearClient Client() => new(_http);

    public LinearSettings Settings(string label = "optio", string? teamId = null, string? projectId = null, string? apiKey = null) =>
        new(ApiUrl, apiKey ?? ApiKey, teamId, projectId, label);

    /// <summary>A team with Linear's default workflow: Backlog, Todo, In Progress, Done, Canceled.</summary>
    public FakeLinearTeam AddTeam(string key, bool defaultStates = true)
    {
        var team = new FakeLinearTeam { Key = key };
        if (defaultStates)
        {
            team.AddState("Backlog", "backlog", 0);
            team.AddState("Todo", "unstarted", 1);
            team.AddState("In Progress", "started", 2);
            team.AddState("Done", "completed", 3);
            team.AddState("Canceled", "canceled", 4);
        }
        lock (_data.Gate) _data.Teams.Add(team);
        return team;
    }

    /// <summary>A workspace-wide label (of no team).</summary>
    public FakeLinearLabel AddWorkspaceLabel(string name)
    {
        var label = new FakeLinearLabel { Name = name };
        lock (_data.Gate) _data.WorkspaceLabels.Add(label);
        return label;
    }

    /// <summary>An issue in the team's first unstarted state (or the given one), numbered in the team.</summary>
    public FakeLinearIssue AddIssue(FakeLinearTeam team, string title, string[] labels, FakeLinearState? state = null, int? number = null)
    {
        lock (_data.Gate)
        {
            var n = number ?? ++team.LastNumber;
            team.LastNumber = Math.Max(team.LastNumber, n);
            var issue = new FakeLinearIssue
            {
                Identifier = $"{team.Key}-{n}",
                Title = title,
                Team = team,
                State = state ?? team.States.OrderBy(s => s.Position).First(s => s.Type == "unstarted"),
            };
            issue.Labels.AddRange(labels.Select(name => new FakeLinearLabel { Name = name }));
            _data.Issues.Add(issue);
            return issue;
        }
    }

    /// <summary>Answers the next <paramref name="times"/> requests with this instead of executing them.</summary>
    public void AnswerNext(FakeLinearAnswer answer, int times = 1)
    {
        for (var i = 0; i < times; i++) _answers.Enqueue(answer);
    }

    async Task HandleAsync(HttpContext http)
    {
        var body = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
        var request = Record(http.Request, body);

        if (http.Request.Headers.Authorization.ToString() != ApiKey)
        {
            await WriteAsync(http, FakeLinearAnswer.AuthenticationRequired());
            return;
        }
        if (_answers.TryDequeue(out var answer))
        {
            await WriteAsync(http, answer);
            return;
        }
        if (request.Query is not { Length: > 0 } query)
        {
            await WriteAsync(http, FakeLinearAnswer.GraphQLError("Must provide a query string.", "GRAPHQL_PARSE_FAILED", 400));
            return;
        }

        var result = await Executer.ExecuteAsync(options =>
        {
            options.Schema = LinearSchema.Instance;
            options.Query = query;
            options.OperationName = request.OperationName;
            options.Variables = request.Variables.ValueKind == JsonValueKind.Object ? Serializer.ReadNode<Inputs>(request.Variables) : Inputs.Empty;
            options.Root = _data;
            options.CancellationToken = http.RequestAborted;
            options.UnhandledExceptionDelegate = context =>
            {
                context.ErrorMessage = context.OriginalException.Message;
                return Task.CompletedTask;
            };
        });
        // Like Linear, a document that does not parse or validate is a 400; resolver errors come with a 200.
        http.Response.StatusCode = result.Executed ? 200 : 400;
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(Serializer.Serialize(result), http.RequestAborted);
    }

    FakeLinearRequest Record(HttpRequest http, string body)
    {
        string? query = null, operationName = null;
        var variables = default(JsonElement);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            query = root.TryGetProperty("query", out var q) ? q.GetString() : null;
            operationName = root.TryGetProperty("operationName", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            variables = root.TryGetProperty("variables", out var v) ? v.Clone() : default;
        }
        catch (JsonException)
        {
            // Recorded as it came; the fake answers that no query was given.
        }
        var request = new FakeLinearRequest(
            http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body, query, operationName, variables, RootField(query));
        _requests.Enqueue(request);
        return request;
    }

    static string? RootField(string? query)
    {
        try
        {
            return query is null ? null : Parser.Parse(query).Definitions.OfType<GraphQLOperationDefinition>().FirstOrDefault()
                ?.SelectionSet.Selections.OfType<GraphQLField>().FirstOrDefault()?.Name.StringValue;
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException)
        {
            return null;
        }
    }

    static async Task WriteAsync(HttpContext http, FakeLinearAnswer answer)
    {
        http.Response.StatusCode = answer.Status;
        http.Response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            http.Response.Headers[name] = value;
        await http.Response.WriteAsync(answer.Body, http.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One POST the fake received.</summary>
/// <param name="RootField">The first field of the operation (<c>issues</c>, <c>issue</c>, <c>issueUpdate</c>).</param>
public sealed record FakeLinearRequest(
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    string? Query,
    string? OperationName,
    JsonElement Variables,
    string? RootField)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");
}

/// <summary>A canned answer in place of executing the query.</summary>
public sealed record FakeLinearAnswer(int Status, string Body, string ContentType = "application/json; charset=utf-8",
    IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeLinearAnswer TooManyRequests(string retryAfterSeconds = "30") =>
        new(429, Errors("Too many requests", "RATELIMITED", "ratelimited", 429), Headers: new Dictionary<string, string> { ["retry-after"] = retryAfterSeconds });

    /// <summary>Linear's rate-limit error in the body (Linear itself sends it with HTTP 400), with its reset headers.</summary>
    public static FakeLinearAnswer RateLimitedError(DateTimeOffset requestsResetAt, int status = 400) =>
        new(status, Errors("Rate limit exceeded", "RATELIMITED", "ratelimited", 429), Headers: new Dictionary<string, string>
        {
            ["x-ratelimit-requests-limit"] = "1500",
            ["x-ratelimit-requests-remaining"] = "0",
            ["x-ratelimit-requests-reset"] = requestsResetAt.ToUnixTimeMilliseconds().ToString(),
            ["x-ratelimit-complexity-limit"] = "250000",
            ["x-ratelimit-complexity-remaining"] = "249000",
            ["x-ratelimit-complexity-reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds().ToString(),
        });

    public static FakeLinearAnswer GraphQLError(string message, string code = "INVALID_INPUT", int status = 200) =>
        new(status, Errors(message, code, "invalid input", status));

    public static FakeLinearAnswer AuthenticationRequired(int status = 401) =>
        new(status, Errors("Authentication required, not authenticated", "AUTHENTICATION_ERROR", "authentication error", 401));

    public static FakeLinearAnswer NotJson(int status = 200) =>
        new(status, "<html><body>Bad gateway</body></html>", "text/html");

    public static FakeLinearAnswer MalformedJson(int status = 200) =>
        new(status, """{"data": {"issues": {"nodes": [""");

    static string Errors(string message, string code, string type, int statusCode) => JsonSerializer.Serialize(new
    {
        errors = new[] { new { message, extensions = new { code, type, statusCode, userError = false } } },
        data = (object?)null,
    });
}
