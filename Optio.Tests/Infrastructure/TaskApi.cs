using System.Net;
using Alba;
using Optio.Api.Tasks;

namespace Optio.Tests.Infrastructure;

/// <summary>Small verbs over the task API, so scenarios read as what a runner or operator does.</summary>
public static class TaskApi
{
    public static async Task<TaskView> CreateTaskAsync(this IAlbaHost host, string title = "Fix login", string? repoUrl = null)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(new { title, prompt = $"Do: {title}", repoUrl }).ToUrl("/api/tasks");
            s.StatusCodeShouldBe(HttpStatusCode.Created);
        });
        return (await result.ReadAsJsonAsync<TaskView>())!;
    }

    public static async Task<TaskView> GetTaskAsync(this IAlbaHost host, Guid id) =>
        (await host.GetAsJson<TaskView>($"/api/tasks/{id}"))!;

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

    /// <summary>A POST without a body, as curl sends it (Content-Length: 0).</summary>
    static void NoBody(Scenario s, string url)
    {
        s.Post.Url(url);
        s.ConfigureHttpContext(c => c.Request.ContentLength = 0);
    }
}
