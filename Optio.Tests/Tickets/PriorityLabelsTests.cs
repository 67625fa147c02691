using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Tests.PullRequests;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>A GitHub provider's <c>priorityLabels</c> give its issues a priority, kept current as labels change.</summary>
[Collection(TicketsCollection.Name)]
public class PriorityLabelsTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeGitHub GitHub => api.GitHub;

    static readonly Dictionary<string, int> Map = new() { ["P0"] = 1, ["P1"] = 2, ["P2"] = 3, ["P3"] = 4 };

    async Task<(Guid Provider, string Repo)> ProviderAsync()
    {
        var repo = $"prio{Guid.NewGuid():N}"[..14];
        GitHub.AddRepo("acme", repo);
        GitHub.AddIssue("acme", repo, "P1 issue", "b", ["optio", "P1"]);
        GitHub.AddIssue("acme", repo, "Unmapped", "b", ["optio", "bug"]);
        GitHub.AddIssue("acme", repo, "Two mapped", "b", ["optio", "p2", "P0"]);
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { source = "github", config = new { repos = new[] { $"acme/{repo}" }, priorityLabels = Map }, apiUrl = GitHub.ApiUrl.ToString() })
                .ToUrl("/api/tickets/providers");
            s.StatusCodeShouldBe(201);
        });
        var created = JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement;
        Assert.Equal(2, created.GetProperty("config").GetProperty("priorityLabels").GetProperty("P1").GetInt32());
        var provider = created.GetProperty("id").GetGuid();
        await api.FirstSyncAsync(provider);
        return (provider, repo);
    }

    Task<Optio.Api.Tasks.TaskView> TaskAsync(string repo, int number) => Host.GetTaskAsync(TicketKey.GitHub("acme", repo, number).TaskId);

    [Fact]
    public async Task Mapped_labels_give_the_most_urgent_priority_and_a_sync_follows_a_label_change()
    {
        var (provider, repo) = await ProviderAsync();

        Assert.Equal(2, (await TaskAsync(repo, 1)).Priority);
        Assert.Null((await TaskAsync(repo, 2)).Priority);
        Assert.Equal(1, (await TaskAsync(repo, 3)).Priority);
        Assert.Equal(2, (await TaskAsync(repo, 1)).Ticket!.Priority);

        GitHub.Edit("acme", repo, 2, i => i.Labels.Add("P3"));
        await api.SyncNowAsync(provider);

        Assert.Equal(4, (await TaskAsync(repo, 2)).Priority);
    }

    [Fact]
    public async Task A_label_removed_on_GitHub_changes_the_priority_through_the_webhook_and_a_later_sync_writes_nothing()
    {
        var (provider, repo) = await ProviderAsync();
        GitHub.Edit("acme", repo, 1, i => i.Labels.Remove("P1"));

        var unlabeled = GitHubDeliveries.Payload("issues.labeled", "acme", repo);
        unlabeled["action"] = "unlabeled";
        unlabeled["issue"]!["number"] = 1;
        unlabeled["label"]!["name"] = "P1";
        var body = unlabeled.ToJsonString();
        await Host.PostAsync("issues", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 202);

        var task = await Eventually.Until(() => TaskAsync(repo, 1), t => t.Priority is null, what: "the priority to follow the label");
        await api.SyncNowAsync(provider);
        Assert.Equal(task.Version, (await TaskAsync(repo, 1)).Version);
    }

    [Theory]
    [InlineData("""{"P0": 7}""", "'config.priorityLabels.P0' must be 0 (none), 1 (urgent)")]
    [InlineData("""{"": 1}""", "a name must not be empty")]
    [InlineData("""{"P0": 1, "p0": 2}""", "twice (labels match in any case)")]
    public async Task Priority_labels_off_the_scale_are_a_400_naming_the_label(string map, string expected)
    {
        var body = await Host.PostAsync("/api/tickets/providers",
            new { source = "github", config = new { repos = new[] { "acme/x" }, priorityLabels = JsonNode.Parse(map) } }, 400);

        Assert.Contains(expected, body);
    }
}
