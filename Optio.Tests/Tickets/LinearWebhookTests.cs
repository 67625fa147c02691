using Optio.Tests.Audit;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Integrations.Linear.Inbound;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Tickets;

/// <summary>Linear's webhook: who may deliver, and what an Issue delivery does to tasks (the same as a sync seeing the change).</summary>
[Collection(TicketsCollection.Name)]
public class LinearWebhookTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;
    FakeLinear Linear => api.Linear;
    DateTimeOffset Now => api.Clock.GetUtcNow();

    async Task<(FakeLinearTeam Team, Guid Provider)> WatchedTeamAsync()
    {
        var team = Linear.AddTeam($"W{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var provider = await api.CreateLinearProviderAsync(team.Id);
        await api.FirstSyncAsync(provider);
        return (team, provider);
    }

    async Task<LinearDelivery> ProcessedAsync(string deliveryId) =>
        (await Eventually.Until(async () =>
        {
            await using var session = api.Store.QuerySession();
            return await session.LoadAsync<LinearDelivery>(deliveryId);
        }, d => d?.ProcessedAt is not null, what: $"Linear delivery {deliveryId} to be processed"))!;

    async Task<string[]> EventTypesAsync(Guid taskId) =>
        [.. JsonDocument.Parse(await (await Host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync())
            .RootElement.EnumerateArray().Select(e => e.GetProperty("type").GetString()!)];

    async Task<long> DeliveriesStoredAsync()
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<LinearDelivery>().CountAsync();
    }

    [Fact]
    public async Task The_label_added_in_linear_imports_the_issue_at_once_without_waiting_for_a_poll()
    {
        var (team, provider) = await WatchedTeamAsync();
        var issue = Linear.AddIssue(team, "Add SSO", []);
        issue.Description = "Use SAML";
        issue.Labels.Add(new FakeLinearLabel { Name = "optio" });

        var delivery = await api.DeliverAsync(LinearDeliveries.IssuePayload("update", issue, Now, new JsonObject { ["labelIds"] = new JsonArray() }));
        await ProcessedAsync(delivery);

        var task = await Host.GetTaskAsync(TicketKey.Linear(issue.Uuid).TaskId);
        Assert.Equal(("Add SSO", "Use SAML", TaskState.Queued, issue.Identifier), (task.Title, task.Prompt, task.State, task.Ticket!.Identifier));
        // Audit: the import is recorded as the delivery's doing.
        Assert.All(await Host.EventsOfAsync(task.Id), e => Assert.Equal(($"linear-webhook:{delivery}", "Issue update"), (e.Actor, e.Cause)));
        Assert.Equal(0, (await api.StatusAsync(provider)).LastRun.Imported); // the provider's only sync ran before the label
    }

    [Fact]
    public async Task A_title_or_description_edited_in_linear_updates_the_queued_task_and_a_poll_then_writes_nothing_more()
    {
        var (team, provider) = await WatchedTeamAsync();
        var issue = Linear.AddIssue(team, "Old title", ["optio"]);
        await api.SyncNowAsync(provider);
        var taskId = TicketKey.Linear(issue.Uuid).TaskId;
        issue.Title = "New title";
        issue.Description = "New description";

        await ProcessedAsync(await api.DeliverAsync(LinearDeliveries.IssuePayload("update", issue, Now, new JsonObject { ["title"] = "Old title" })));
        await api.SyncNowAsync(provider);

        var task = await Host.GetTaskAsync(taskId);
        Assert.Equal(("New title", "New description"), (task.Title, task.Prompt));
        Assert.Single(await EventTypesAsync(taskId), t => t == "ticket_updated");
    }

    [Theory]
    [InlineData("completed")]
    [InlineData("canceled")]
    [InlineData("label removed")]
    public async Task An_issue_done_canceled_or_unlabelled_in_linear_cancels_its_queued_task_once_whoever_sees_it_first(string change)
    {
        var (team, provider) = await WatchedTeamAsync();
        var issue = Linear.AddIssue(team, "Withdrawn", ["optio"]);
        await api.SyncNowAsync(provider);
        var taskId = TicketKey.Linear(issue.Uuid).TaskId;
        if (change == "label removed") issue.Labels.Clear();
        else issue.State = team.States.First(s => s.Type == change);

        await ProcessedAsync(await api.DeliverAsync(LinearDeliveries.IssuePayload("update", issue, Now)));
        await api.SyncNowAsync(provider);

        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(taskId)).State);
        Assert.Single(await EventTypesAsync(taskId), t => t == "task_cancelled");
    }

    [Fact]
    public async Task An_issue_removed_in_linear_cancels_its_queued_task()
    {
        var (team, provider) = await WatchedTeamAsync();
        var issue = Linear.AddIssue(team, "Deleted", ["optio"]);
        await api.SyncNowAsync(provider);

        await ProcessedAsync(await api.DeliverAsync(LinearDeliveries.IssuePayload("remove", issue, Now)));

        Assert.Equal(TaskState.Cancelled, (await Host.GetTaskAsync(TicketKey.Linear(issue.Uuid).TaskId)).State);
    }

    [Fact]
    public async Task An_issue_of_a_team_no_provider_watches_changes_nothing()
    {
        var team = Linear.AddTeam($"U{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var issue = Linear.AddIssue(team, "Not ours", ["optio"]);
        var before = Linear.Requests.Count;

        await ProcessedAsync(await api.DeliverAsync(LinearDeliveries.IssuePayload("create", issue, Now)));

        await Host.Scenario(s => { s.Get.Url($"/api/tasks/{TicketKey.Linear(issue.Uuid).TaskId}"); s.StatusCodeShouldBe(404); });
        Assert.DoesNotContain(Linear.Requests.Skip(before), r => r.Body.Contains(issue.Id));
    }

    [Fact]
    public async Task A_redelivery_answers_200_and_changes_nothing()
    {
        var (team, _) = await WatchedTeamAsync();
        var issue = Linear.AddIssue(team, "Once", ["optio"]);
        var payload = LinearDeliveries.IssuePayload("create", issue, Now);
        var delivery = await api.DeliverAsync(payload);
        await ProcessedAsync(delivery);
        var stored = await DeliveriesStoredAsync();
        var events = await EventTypesAsync(TicketKey.Linear(issue.Uuid).TaskId);

        var again = await Host.AfterAllHandledAsync(() => Host.PostLinearAsync(payload.ToJsonString(),
            LinearDeliveries.Sign(TicketsHost.LinearWebhookSecret, payload.ToJsonString()), delivery, status: 200), [typeof(LinearIssueDelivered)]);

        Assert.Contains(delivery, await again.ReadAsTextAsync());
        Assert.Equal(stored, await DeliveriesStoredAsync());
        Assert.Equal(events, await EventTypesAsync(TicketKey.Linear(issue.Uuid).TaskId));
        Assert.Single(events, t => t == "ticket_imported");
    }

    public static TheoryData<string, string?> BadSignatures() => new()
    {
        { "missing", null },
        { "wrong secret", LinearDeliveries.Sign("not-the-secret", "{}") },
        { "not hex", new string('z', 64) },
        { "GitHub style", "sha256=" + new string('a', 64) },
    };

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_delivery_without_a_valid_signature_is_401_and_stored_nowhere(string why, string? signature)
    {
        var team = Linear.AddTeam($"S{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var body = LinearDeliveries.IssuePayload("create", Linear.AddIssue(team, why, ["optio"]), Now).ToJsonString();
        var before = await DeliveriesStoredAsync();

        var result = await Host.PostLinearAsync(body, signature, status: 401);

        Assert.Contains("Linear-Signature", await result.ReadAsTextAsync());
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Theory]
    [InlineData(-61)]
    [InlineData(61)]
    [InlineData(-3600)]
    public async Task A_signed_delivery_whose_timestamp_is_more_than_60_s_from_now_is_401(int seconds)
    {
        var team = Linear.AddTeam($"O{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        var body = LinearDeliveries.IssuePayload("create", Linear.AddIssue(team, "Replayed", ["optio"]), Now.AddSeconds(seconds)).ToJsonString();
        var before = await DeliveriesStoredAsync();

        var result = await Host.PostLinearAsync(body, LinearDeliveries.Sign(TicketsHost.LinearWebhookSecret, body), status: 401);

        Assert.Contains("webhookTimestamp", await result.ReadAsTextAsync());
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Fact]
    public async Task A_signed_delivery_within_60_s_is_accepted()
    {
        var team = Linear.AddTeam($"K{Guid.NewGuid():N}"[..6].ToUpperInvariant());
        await ProcessedAsync(await api.DeliverAsync(LinearDeliveries.IssuePayload("create", Linear.AddIssue(team, "Fresh", ["optio"]), Now.AddSeconds(-55))));
    }

    [Fact]
    public async Task A_signed_delivery_of_another_type_is_acknowledged_and_not_stored()
    {
        var body = new JsonObject
        {
            ["action"] = "create", ["type"] = "Comment", ["data"] = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["body"] = "hi" },
            ["webhookTimestamp"] = Now.ToUnixTimeMilliseconds(),
        }.ToJsonString();
        var before = await DeliveriesStoredAsync();

        var result = await Host.PostLinearAsync(body, LinearDeliveries.Sign(TicketsHost.LinearWebhookSecret, body), status: 202);

        Assert.Contains("Comment", await result.ReadAsTextAsync());
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Fact]
    public async Task A_signed_issue_delivery_without_its_issue_id_is_400_naming_it()
    {
        var body = new JsonObject { ["action"] = "update", ["type"] = "Issue", ["data"] = new JsonObject { ["teamId"] = "t" }, ["webhookTimestamp"] = Now.ToUnixTimeMilliseconds() }.ToJsonString();

        var result = await Host.PostLinearAsync(body, LinearDeliveries.Sign(TicketsHost.LinearWebhookSecret, body), status: 400);

        Assert.Contains("data.id", await result.ReadAsTextAsync());
    }
}

/// <summary>A host with no Linear signing secret (the tasks collection's) refuses every Linear delivery.</summary>
[Collection(TasksCollection.Name)]
public class LinearWebhookWithoutSecretTests(ApiHost api)
{
    [Fact]
    public async Task A_linear_delivery_when_no_secret_is_configured_is_403()
    {
        var body = """{"action":"create","type":"Issue","data":{},"webhookTimestamp":0}""";

        var result = await api.Host.PostLinearAsync(body, LinearDeliveries.Sign("anything", body), status: 403);

        Assert.Contains("LINEAR_WEBHOOK_SECRET", await result.ReadAsTextAsync());
    }
}
