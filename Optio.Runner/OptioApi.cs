using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Optio.Runner;

/// <summary>A task as a claim (or a read) answers it: the part the runner uses.</summary>
internal sealed record ClaimedTask(Guid Id, string Title, string Prompt, string? RepoUrl, TaskTicket? Ticket, string State, string? RunnerId, long Version);

/// <summary>The ticket a task was born from (<c>github:acme/webapp#42</c> or <c>linear:&lt;uuid&gt;</c> as its key).</summary>
internal sealed record TaskTicket(string Source, string Key, string Identifier, string? Url);

/// <summary>How the service answered a report: <see cref="Ok"/>, or its status and the problem's detail.</summary>
internal sealed record ApiAnswer(bool Ok, int Status, string Detail)
{
    /// <summary>The service decided against it (404, 409, 412): asking again changes nothing.</summary>
    public bool Refused => Status is 404 or 409 or 412;
}

/// <summary>The claim was refused for a reason only the operator can fix (a bad key, a bad order).</summary>
internal sealed class ConfigurationRefused(string message) : Exception(message);

/// <summary>The runner-facing routes of the Optio API (see the README's API table), with short retries for network faults.</summary>
internal sealed class OptioApi : IDisposable
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    static readonly TimeSpan[] RetryDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];
    readonly HttpClient http;
    readonly RunnerSettings settings;

    public OptioApi(RunnerSettings settings)
    {
        this.settings = settings;
        var root = settings.Api.AbsoluteUri.EndsWith('/') ? settings.Api : new Uri(settings.Api.AbsoluteUri + "/");
        http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Key);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("optio-runner", "1.0"));
    }

    /// <summary>Null when the service answers and takes the key; otherwise what is wrong, in words an operator can act on.</summary>
    public async Task<string?> CheckAsync(CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            using (var live = await http.GetAsync("health/live", limit.Token))
                if (!live.IsSuccessStatusCode)
                    return $"{settings.Api} answered {(int)live.StatusCode} to /health/live: is --api the Optio service?";
            using var tasks = await http.GetAsync("api/tasks?pageSize=1", limit.Token);
            return tasks.StatusCode switch
            {
                HttpStatusCode.OK => null,
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                    $"{settings.Api} refused the API key ({(int)tasks.StatusCode}): give --key one of the service's Optio:ApiKeys.",
                _ => $"{settings.Api} answered {(int)tasks.StatusCode} to GET /api/tasks: {await DetailAsync(tasks)}",
            };
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return $"Cannot reach the Optio API at {settings.Api}: {(e is OperationCanceledException ? "no answer within 10 s" : e.Message)}.";
        }
    }

    /// <summary>The next task for this runner, or null when the queue is empty.</summary>
    public async Task<ClaimedTask?> ClaimAsync(CancellationToken ct)
    {
        var body = new Dictionary<string, object> { ["runnerId"] = settings.RunnerId, ["leaseSeconds"] = settings.LeaseSeconds };
        if (settings.Order is { } order) body["order"] = order; // sent only when asked for: the service decides the default
        using var response = await http.PostAsJsonAsync("api/tasks/claim", body, Json, ct);
        if (response.StatusCode == HttpStatusCode.NoContent) return null;
        if (response.IsSuccessStatusCode) return await response.Content.ReadFromJsonAsync<ClaimedTask>(Json, ct);
        var detail = await DetailAsync(response);
        if ((int)response.StatusCode is 400 or 401 or 403)
            throw new ConfigurationRefused($"The service refused the claim ({(int)response.StatusCode}): {detail}");
        throw new HttpRequestException($"claim answered {(int)response.StatusCode}: {detail}");
    }

    public Task<ApiAnswer> HeartbeatAsync(Guid id, CancellationToken ct) =>
        SendAsync($"api/tasks/{id}/heartbeat", new { runnerId = settings.RunnerId, leaseSeconds = settings.LeaseSeconds }, null, retry: false, ct);

    public Task<ApiAnswer> StartAsync(Guid id, CancellationToken ct) =>
        SendAsync($"api/tasks/{id}/start", new { runnerId = settings.RunnerId }, null, retry: true, ct);

    public Task<ApiAnswer> ReportPullRequestAsync(Guid id, string prUrl, CancellationToken ct) =>
        SendAsync($"api/tasks/{id}/pr", new { prUrl }, null, retry: true, ct);

    /// <param name="version">When given, the failure is written only if the task is still at that version.</param>
    public Task<ApiAnswer> FailAsync(Guid id, string reason, long? version, CancellationToken ct) =>
        SendAsync($"api/tasks/{id}/fail", new { reason }, version, retry: true, ct);

    public async Task<ClaimedTask?> GetAsync(Guid id, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/tasks/{id}", ct);
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<ClaimedTask>(Json, ct) : null;
    }

    async Task<ApiAnswer> SendAsync(string path, object body, long? version, bool retry, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            ApiAnswer answer;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
                if (version is { } v) request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{v}\""));
                using var response = await http.SendAsync(request, ct);
                answer = response.IsSuccessStatusCode
                    ? new ApiAnswer(true, (int)response.StatusCode, "")
                    : new ApiAnswer(false, (int)response.StatusCode, await DetailAsync(response));
                if (answer.Ok || (int)response.StatusCode < 500) return answer;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                answer = new ApiAnswer(false, 0, $"no answer from {settings.Api}: {e.Message}");
            }
            if (!retry || attempt >= RetryDelays.Length) return answer;
            await Task.Delay(RetryDelays[attempt], ct);
        }
    }

    static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var doc = JsonDocument.Parse(text);
            foreach (var name in new[] { "detail", "title" })
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } s)
                    return s;
        }
        catch (JsonException) { }
        return text.Length > 300 ? text[..300] : text.Length > 0 ? text : response.ReasonPhrase ?? "no detail";
    }

    public void Dispose() => http.Dispose();
}
