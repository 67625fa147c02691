using System.Net;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Optio.Api.Tasks;
using Optio.Api.Tickets;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// The one way tests move a task through its life: small verbs over the task API, so scenarios read as what a runner
/// or operator does, and the production decisions where a test only needs a task in some state.
/// </summary>
public static class TaskDriver
{
    public static async Task<TaskView> CreateTaskAsync(this IAlbaHost host, string title = "Fix login", string? repoUrl = null, int? priority = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { title, prompt = $"Do: {title}", repoUrl, priority }).ToUrl("/api/tasks");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        return (await result.ReadAsJsonAsync<TaskView>())!;
    }

    public static async Task<TaskView> GetTaskAsync(this IAlbaHost host, Guid id) =>
        (await host.GetAsJson<TaskView>($"/api/tasks/{id}"))!;

    /// <summary>Claims the next queued task (<paramref name="order"/>: "oldest", the default, or "priority"); null when the queue is empty (204).</summary>
    public static async Task<TaskView?> ClaimAsync(this IAlbaHost host, string runnerId = "runner", int leaseSeconds = 60, string? order = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { runnerId, leaseSeconds, order }).ToUrl("/api/tasks/claim");
            s.IgnoreStatusCode();
        });
        var status = result.Context.Response.StatusCode;
        Assert.True(status is 200 or 204, $"claim answered {status}: {await result.ReadAsTextAsync()}");
        return status == 204 ? null : await result.ReadAsJsonAsync<TaskView>();
    }

    /// <summary>Claims until <paramref name="id"/> is the task handed out: the tests of a collection share its queue.</summary>
    public static async Task<TaskView> ClaimUntilAsync(this IAlbaHost host, Guid id, string runnerId = "runner", int leaseSeconds = 60)
    {
        for (var i = 0; i < 200; i++)
        {
            var claimed = await host.ClaimAsync(runnerId, leaseSeconds) ?? throw new InvalidOperationException($"The queue ran dry before task {id} was claimed.");
            if (claimed.Id == id) return claimed;
        }
        throw new InvalidOperationException($"Task {id} was never claimed.");
    }

    public static Task<TaskView> StartAsync(this IAlbaHost host, Guid id, string? runnerId = null) =>
        host.PostForTaskAsync($"/api/tasks/{id}/start", runnerId is null ? null : new { runnerId });

    public static Task<TaskView> ReportPrAsync(this IAlbaHost host, Guid id, string prUrl) =>
        host.PostForTaskAsync($"/api/tasks/{id}/pr", new { prUrl });

    public static Task<TaskView> FailAsync(this IAlbaHost host, Guid id, string reason) =>
        host.PostForTaskAsync($"/api/tasks/{id}/fail", new { reason });

    public static Task<TaskView> CancelAsync(this IAlbaHost host, Guid id, string? reason = null) =>
        host.PostForTaskAsync($"/api/tasks/{id}/cancel", reason is null ? null : new { reason });

    /// <summary>POSTs a command and expects <paramref name="status"/>; returns the body text.</summary>
    public static async Task<string> PostAsync(this IAlbaHost host, string url, object? body, int status = 200, string? ifMatch = null)
    {
        var result = await host.Scenario(s =>
        {
            if (body is null) NoBody(s, url); else s.Post.Json(body).ToUrl(url);
            if (ifMatch is not null) s.WithRequestHeader("If-Match", ifMatch);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsTextAsync();
    }

    public static async Task<TaskView> PostForTaskAsync(this IAlbaHost host, string url, object? body = null)
    {
        var result = await host.Scenario(s =>
        {
            if (body is null) NoBody(s, url); else s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBeOk();
        });
        return (await result.ReadAsJsonAsync<TaskView>())!;
    }

    /// <summary>Turns tickets into tasks as a sync does, through the production importer.</summary>
    public static Task<TicketsImported> ImportAsync(this IAlbaHost host, IReadOnlyList<IncomingTicket> tickets, Guid? providerId = null) =>
        host.Services.GetRequiredService<TicketImporter>().ImportAsync(tickets, providerId, default);

    public static async Task<Guid> ImportAsync(this IAlbaHost host, IncomingTicket ticket, Guid? providerId = null) =>
        (await host.ImportAsync([ticket], providerId)).TaskIds.Single();

    public static async Task DecideAsync(this IAlbaHost host, Guid taskId, Func<OptioTask, Decision> decide)
    {
        var outcome = await host.Services.GetRequiredService<TaskWriter>().DecideAsync(taskId, null, decide, default);
        Assert.IsType<WriteOutcome.Written>(outcome);
    }

    public static async Task MergeAsync(this IAlbaHost host, Guid taskId, string prUrl)
    {
        await host.DecideAsync(taskId, t => t.Claim("runner", TimeSpan.FromMinutes(5), DateTimeOffset.UtcNow));
        await host.DecideAsync(taskId, t => t.Start("runner"));
        await host.DecideAsync(taskId, t => t.OpenPr(prUrl));
        await host.DecideAsync(taskId, t => t.Merge(prUrl));
    }

    public static IncomingTicket GitHubTicket(string owner, string repo, int number, string title = "Fix it", string body = "Please") => new(
        new TicketRef(TicketSource.GitHub, $"{owner}/{repo}#{number}", $"{owner}/{repo}#{number}", $"https://github.com/{owner}/{repo}/issues/{number}"),
        title, body, $"https://github.com/{owner}/{repo}", TicketMetadata.None, []);

    /// <summary>A POST without a body, as curl sends it (Content-Length: 0).</summary>
    static void NoBody(Scenario s, string url)
    {
        s.Post.Url(url);
        s.ConfigureHttpContext(c => c.Request.ContentLength = 0);
    }
}
