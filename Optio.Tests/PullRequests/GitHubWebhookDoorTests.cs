using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Marten;
using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;
using Optio.Api.Integrations.GitHub.Inbound;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.PullRequests;

/// <summary>
/// What the GitHub webhook decides at the door: a signed delivery it cannot handle is a 400 naming what is wrong and is
/// stored nowhere; one it accepts and then fails to handle is recorded as failed, readable on the delivery list.
/// </summary>
[Collection(TicketsCollection.Name)]
public class GitHubWebhookDoorTests(TicketsHost api)
{
    IAlbaHost Host => api.Host;

    async Task<long> DeliveriesStoredAsync()
    {
        await using var session = api.Store.QuerySession();
        return await session.Query<GitHubDelivery>().CountAsync();
    }

    static async Task<string> ProblemDetailAsync(IScenarioResult result)
    {
        Assert.Equal("application/problem+json", result.Context.Response.ContentType);
        return JsonDocument.Parse(await result.ReadAsTextAsync()).RootElement.GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task A_signed_body_that_is_not_utf8_is_400_and_stored_nowhere()
    {
        var text = GitHubDeliveries.Payload("pull_request.opened", "acme", "bytes").ToJsonString().Replace("\"changes\"", "\"chXXges\"");
        var bytes = Encoding.UTF8.GetBytes(text);
        var at = text.IndexOf("XX", StringComparison.Ordinal);
        (bytes[at], bytes[at + 1]) = (0xC3, 0x28); // a lead byte followed by one that cannot continue it
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(TicketsHost.WebhookSecret), bytes));
        var before = await DeliveriesStoredAsync();

        var result = await Host.Scenario(s =>
        {
            s.Post.Url("/api/webhooks/github");
            s.ConfigureHttpContext(c =>
            {
                c.Request.Body = new MemoryStream(bytes);
                c.Request.ContentLength = bytes.Length;
                c.Request.ContentType = "application/json";
            });
            s.RemoveRequestHeader("Authorization");
            s.WithRequestHeader("X-GitHub-Event", "pull_request");
            s.WithRequestHeader("X-GitHub-Delivery", Guid.NewGuid().ToString());
            s.WithRequestHeader("X-Hub-Signature-256", signature);
            s.StatusCodeShouldBe(400);
        });

        Assert.Contains("not valid UTF-8", await ProblemDetailAsync(result));
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    public static TheoryData<string, string, string> Misshapen()
    {
        var noRepository = GitHubDeliveries.Payload("issues.labeled", "acme", "shape");
        noRepository.Remove("repository");
        var noPullRequest = GitHubDeliveries.Payload("pull_request.opened", "acme", "shape");
        noPullRequest.Remove("pull_request");
        var numericBranch = GitHubDeliveries.Payload("pull_request.opened", "acme", "shape");
        numericBranch["pull_request"]!["head"]!["ref"] = 42;
        var noLabel = GitHubDeliveries.Payload("issues.labeled", "acme", "shape");
        noLabel.Remove("label");
        var noIssueNumber = GitHubDeliveries.Payload("issues.labeled", "acme", "shape");
        noIssueNumber["issue"]!.AsObject().Remove("number");
        var noSuitePrs = GitHubDeliveries.Payload("check_suite.completed", "acme", "shape");
        noSuitePrs["check_suite"]!.AsObject().Remove("pull_requests");
        var reviewOfNothing = GitHubDeliveries.Payload("pull_request_review.submitted", "acme", "shape");
        reviewOfNothing["pull_request"] = "not an object";
        return new()
        {
            { "pull_request", "[1, 2, 3]", "is a JSON array, not an object" },
            { "issues", "\"an issue\"", "is a JSON string, not an object" },
            { "issues", noRepository.ToJsonString(), "has no 'repository'" },
            { "pull_request", noPullRequest.ToJsonString(), "has no 'pull_request'" },
            { "pull_request", numericBranch.ToJsonString(), "'pull_request.head.ref' that is not a string" },
            { "issues", noLabel.ToJsonString(), "has no 'label'" },
            { "issues", noIssueNumber.ToJsonString(), "'issue.number'" },
            { "check_suite", noSuitePrs.ToJsonString(), "'check_suite.pull_requests'" },
            { "pull_request_review", reviewOfNothing.ToJsonString(), "'pull_request' that is not an object" },
        };
    }

    [Theory]
    [MemberData(nameof(Misshapen))]
    public async Task A_signed_payload_without_what_its_event_needs_is_400_naming_it_and_stored_nowhere(string eventName, string body, string mentions)
    {
        var before = await DeliveriesStoredAsync();
        var result = await Host.PostAsync(eventName, body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), status: 400);
        var detail = await ProblemDetailAsync(result);
        Assert.Contains(mentions, detail);
        Assert.Contains(eventName, detail);
        Assert.Equal(before, await DeliveriesStoredAsync());
    }

    [Fact]
    public async Task An_accepted_delivery_whose_handling_fails_is_listed_as_failed_with_the_error()
    {
        var repo = $"fl{Guid.NewGuid():N}"[..12];
        api.GitHub.AddRepo("acme", repo);
        api.GitHub.AddIssue("acme", repo, "Fix it", "Please");
        await Host.ImportAsync(TaskDriver.GitHubTicket("acme", repo, 1));
        // GitHub fails every read of this repository, so the delivery cannot be handled.
        api.GitHub.FailNext(1000, FakeGitHubFault.ServerError, r => r.PathAndQuery.Contains($"/{repo}/"));
        var closed = GitHubDeliveries.Payload("issues.labeled", "acme", repo);
        closed["action"] = "closed";
        var body = closed.ToJsonString();
        var delivery = Guid.NewGuid().ToString();

        await Host.PostAsync("issues", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), delivery, status: 202);

        var failed = await Eventually.Until(
            async () => (await Host.GetAsJson<List<GitHubDeliveryView>>($"{GitHubDeliveriesEndpoint.Path}?status=failed"))!,
            list => list.Any(d => d.Id == delivery), what: "the failure recorded on the delivery");
        var view = failed.Single(d => d.Id == delivery);
        Assert.Equal(("issues", "closed", "failed"), (view.Event, view.Action, view.Status));
        Assert.Contains("GitHub failed with 500", view.Error);
        Assert.True(view.Attempts >= 1);
        Assert.Equal(TaskState.Queued, (await Host.GetTaskAsync(Optio.Domain.Tickets.TicketKey.GitHub("acme", repo, 1).TaskId)).State);
    }

    [Fact]
    public async Task The_delivery_list_needs_the_api_key_and_shows_processed_deliveries()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url(GitHubDeliveriesEndpoint.Path);
            s.RemoveRequestHeader("Authorization");
            s.StatusCodeShouldBe(401);
        });
        var review = GitHubDeliveries.Payload("pull_request_review.submitted", "acme", $"ls{Guid.NewGuid():N}"[..12]);
        var body = review.ToJsonString();
        var delivery = Guid.NewGuid().ToString();
        await Host.PostAsync("pull_request_review", body, GitHubDeliveries.Sign(TicketsHost.WebhookSecret, body), delivery, status: 202);

        var processed = await Eventually.Until(
            async () => (await Host.GetAsJson<List<GitHubDeliveryView>>($"{GitHubDeliveriesEndpoint.Path}?status=processed&limit=200"))!,
            list => list.Any(d => d.Id == delivery), what: "the processed delivery");
        Assert.Null(processed.Single(d => d.Id == delivery).Error);
        await Host.Scenario(s => { s.Get.Url($"{GitHubDeliveriesEndpoint.Path}?status=lost"); s.StatusCodeShouldBe(400); });
    }
}
