using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

[Collection(TicketsCollection.Name)]
public class LinearSyncTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeLinear Linear => api.Linear;

    [Fact]
    public async Task A_linear_provider_imports_labelled_open_issues_of_its_team_with_identifier_and_priority()
    {
        var team = Linear.AddTeam($"T{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var open = Linear.AddIssue(team, "Add SSO", ["OPTIO"]);
        open.Description = "Use SAML";
        open.Priority = 2;
        Linear.AddIssue(team, "Done already", ["optio"], team.States.First(s => s.Type == "completed"));
        Linear.AddIssue(team, "No label", ["bug"]);

        var provider = await api.CreateLinearProviderAsync(team.Id);
        var status = await api.FirstSyncAsync(provider);

        Assert.Equal(("succeeded", 1, 1), (status.Outcome, status.LastRun.TicketsSeen, status.LastRun.Imported));
        var task = await Host.GetTaskAsync(TicketKey.Linear(open.Uuid).TaskId);
        Assert.Equal(("Add SSO", "Use SAML", "linear", TaskState.Queued), (task.Title, task.Prompt, task.Source, task.State));
        Assert.Equal((open.Id, open.Identifier), (task.Ticket!.ExternalId, task.Ticket.Identifier));
        Assert.All(Linear.Requests, r => Assert.Equal(FakeLinear.DefaultApiKey, r.Authorization));
    }

    [Fact]
    public async Task A_linear_issue_linking_a_github_issue_joins_its_task_instead_of_making_another()
    {
        var repo = $"link{Guid.NewGuid():N}"[..14];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "Fix the cache", "GitHub side", ["optio"]);
        var github = await api.CreateGitHubProviderAsync($"acme/{repo}");
        await api.FirstSyncAsync(github);

        var team = Linear.AddTeam($"L{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = Linear.AddIssue(team, "Fix the cache (Linear)", ["optio"]);
        issue.Attachments.Add(new FakeLinearAttachment { Url = $"https://github.com/acme/{repo}/issues/1", Title = "GitHub issue" });
        var linear = await api.CreateLinearProviderAsync(team.Id);
        var status = await api.FirstSyncAsync(linear);

        Assert.Equal((0, 1), (status.LastRun.Imported, status.LastRun.Linked));
        var githubTaskId = TicketKey.GitHub("acme", repo, 1).TaskId;
        var task = await Host.GetTaskAsync(githubTaskId);
        Assert.Equal("Fix the cache", task.Title);
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{TicketKey.Linear(issue.Uuid).TaskId}"); s.StatusCodeShouldBe(404); });
        var events = await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{githubTaskId}/events"))).ReadAsTextAsync();
        Assert.Contains("ticket_linked", events);
        Assert.Contains(issue.Identifier, events);

        // A later sync sees the Linear issue as already known.
        await api.SyncNowAsync(linear);
        Assert.Equal((0, 1), ((await api.StatusAsync(linear)).LastRun.Imported, (await api.StatusAsync(linear)).LastRun.SkippedAsDuplicates));
    }

    [Fact]
    public async Task A_linear_issue_linking_an_issue_on_the_configured_github_enterprise_host_joins_its_task()
    {
        var repo = $"ghe{Guid.NewGuid():N}"[..14];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "Fix the cache", "GitHub side", ["optio"]);
        await api.FirstSyncAsync(await api.CreateGitHubProviderAsync($"acme/{repo}"));

        // The host's GitHub (Optio:GitHub:ApiUrl) is the fake on loopback: its web host is not github.com.
        var team = Linear.AddTeam($"E{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = Linear.AddIssue(team, "Fix the cache (Linear)", ["optio"]);
        issue.Attachments.Add(new FakeLinearAttachment { Url = $"{api.GitHub.ApiUrl}acme/{repo}/issues/1", Title = "GitHub issue" });
        var status = await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id));

        Assert.Equal((0, 1), (status.LastRun.Imported, status.LastRun.Linked));
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{TicketKey.Linear(issue.Uuid).TaskId}"); s.StatusCodeShouldBe(404); });
    }

    [Fact]
    public async Task A_github_issue_arriving_after_the_linear_issue_that_links_it_joins_the_linear_task()
    {
        var repo = $"late{Guid.NewGuid():N}"[..14];
        var team = Linear.AddTeam($"G{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = Linear.AddIssue(team, "Linear first", ["optio"]);
        issue.Attachments.Add(new FakeLinearAttachment { Url = $"https://github.com/acme/{repo}/issues/1", Title = "GitHub issue" });
        await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id));

        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "GitHub second", "body", ["optio"]);
        var github = await api.CreateGitHubProviderAsync($"acme/{repo}");
        var status = await api.FirstSyncAsync(github);

        Assert.Equal((0, 1), (status.LastRun.Imported, status.LastRun.SkippedAsDuplicates));
        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{TicketKey.GitHub("acme", repo, 1).TaskId}"); s.StatusCodeShouldBe(404); });
        Assert.Equal("Linear first", (await Host.GetTaskAsync(TicketKey.Linear(issue.Uuid).TaskId)).Title);
    }

    [Fact]
    public async Task A_linear_rate_limit_is_recorded_and_backs_off()
    {
        var team = Linear.AddTeam($"R{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        Linear.AddIssue(team, "Later", ["optio"]);
        Linear.AnswerNext(FakeLinearAnswer.TooManyRequests("90"));

        var status = await api.FirstSyncAsync(await api.CreateLinearProviderAsync(team.Id));

        Assert.Equal("rate_limited", status.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(90), status.RateLimitedUntil - status.LastSyncFinishedAt);
    }
}
