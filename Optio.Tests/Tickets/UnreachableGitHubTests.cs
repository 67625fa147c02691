using System.Text.Json;
using Alba;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>GitHub that cannot be reached is GitHub's failure (502 naming it), never a database outage (503).</summary>
[Collection(TicketsCollection.Name)]
public class UnreachableGitHubTests(TicketsHost api)
{
    [Fact]
    public async Task Assigning_or_listing_issues_when_github_refuses_connections_is_502_naming_github()
    {
        // A provider watching the repo points Optio at a loopback port nobody listens on.
        var repo = $"down{Guid.NewGuid():N}"[..14];
        await api.Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { $"acme/{repo}" }, labels = new[] { "optio" } }, apiUrl = $"http://127.0.0.1:{FreePort.Next()}/" })
                .ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        await api.Host.Scenario(s => { s.Post.Json(new { url = $"https://github.com/acme/{repo}" }).ToUrl("/api/repos"); s.StatusCodeShouldBe(201); });

        var assign = await api.Host.Scenario(s =>
        {
            s.Post.Json(new { issueUrl = $"https://github.com/acme/{repo}/issues/1" }).ToUrl("/api/issues/assign");
            s.StatusCodeShouldBe(502);
        });
        var list = await api.Host.Scenario(s => { s.Get.Url($"/api/issues?repo=acme/{repo}"); s.StatusCodeShouldBe(502); });

        foreach (var result in new[] { assign, list })
        {
            var problem = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
            Assert.Equal("GitHub request failed", problem.GetProperty("title").GetString());
            Assert.Contains("Could not reach GitHub", problem.GetProperty("detail").GetString());
        }
        var taskId = Optio.Domain.Tickets.TicketKey.GitHub("acme", repo, 1).TaskId;
        await api.Host.Scenario(s => { s.Get.Url($"/api/tasks/{taskId}"); s.StatusCodeShouldBe(404); });
    }
}
