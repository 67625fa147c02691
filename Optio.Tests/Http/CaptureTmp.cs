using Alba;
namespace Optio.Tests.Http;

[Collection(TasksCollection.Name)]
public class CaptureTmp(ApiHost api)
{
    [Fact]
    public async Task Capture()
    {
        var o = new System.Text.StringBuilder();
        async Task<string> Post(string url, string body, int status)
        {
            var r = await api.Host.Scenario(s => { s.Post.Text(body).ToUrl(url); s.WithRequestHeader("Content-Type", "application/json"); s.StatusCodeShouldBe(status); });
            var t = await r.ReadAsTextAsync(); o.AppendLine($"POST {url} {status}\n{t}\n"); return t;
        }
        var t = await Post("/api/tasks", """{"title":"Fix the login redirect","prompt":"After signing in, users land on /404.","repoUrl":"https://github.com/acme/webapp","priority":2}""", 201);
        var id = System.Text.Json.JsonDocument.Parse(t).RootElement.GetProperty("id").GetString();
        await Post("/api/tasks/claim", """{"runnerId":"runner-1","leaseSeconds":600,"order":"priority"}""", 200);
        await Post($"/api/tasks/{id}/start", """{"runnerId":"runner-1"}""", 200);
        await Post($"/api/tasks/{id}/pr", """{"prUrl":"https://github.com/acme/webapp/pull/7"}""", 200);
        await Post("/api/tickets/providers", """{"source":"github","config":{"repos":["acme/webapp"],"labels":["optio"],"assignee":null},"enabled":true}""", 201);
        await Post("/api/tickets/providers", """{"source":"linear","config":{"apiKey":"lin_api_x","teamId":"5a0b3c1e-1111-4f2a-9a4e-2b7c9d1e0f3a","projectId":"8d2c4e6f-2222-4b1a-8c3d-4e5f6a7b8c9d","label":"optio"},"enabled":true}""", 201);
        await Post("/api/webhooks", """{"url":"https://hooks.example.com/optio","events":["task.completed","task.failed"]}""", 201);
        await File.WriteAllTextAsync("/work/wt/openapi/capture.tmp", o.ToString());
    }
}
