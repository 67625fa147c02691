using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Optio.Tests.Infrastructure;
using Optio.Api.Integrations.Secrets;
using Optio.Api.Notifications.Deliveries;
using Optio.Api.Notifications.Subscriptions;

namespace Optio.Tests.Webhooks;

/// <summary>One delivery that cannot be sent is its own recorded failure: the rest of its pass goes out once, and is recorded.</summary>
[Collection(WebhooksCollection.Name)]
public class FaultyDeliveryTests(WebhooksHost api) : WebhookTest(api)
{
    [Fact]
    public async Task A_subscription_whose_secret_cannot_be_read_fails_on_its_own_and_the_others_are_sent_once()
    {
        var (healthy, unreadable) = (Receiver.NewUrl(), Receiver.NewUrl());
        var good = await SubscribeAsync(healthy, ["task.created", "task.queued"]);
        var bad = await SubscribeAsync(unreadable, ["task.created", "task.queued"]);
        await SealUnderAnotherKeyAsync(bad.Id);

        var tasks = new List<Guid>();
        for (var i = 0; i < 5; i++) tasks.Add((await Host.CreateTaskAsync($"Beside a bad secret {i}")).Id);

        // The bad subscription's first delivery of each task is recorded as a failed attempt, in the same passes as the good ones.
        var failed = new List<Optio.Api.Notifications.Deliveries.DeliveryView>();
        foreach (var taskId in tasks)
            failed.Add(await DeliveryOfAsync(bad.Id, taskId, "task.created", d => d.AttemptCount == 1, "the unreadable secret's failed attempt"));
        Assert.All(failed, d =>
        {
            var attempt = Assert.Single(d.Attempts);
            Assert.Equal((null, false, "pending"), (attempt.StatusCode, attempt.Succeeded, d.Status));
            Assert.Contains("secret could not be read", attempt.Error);
            Assert.Equal(attempt.NextAttemptAt, d.NextAttemptAt);
            Assert.InRange(attempt.NextAttemptAt!.Value - attempt.At, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(6));
        });

        foreach (var taskId in tasks)
            await DeliveryOfAsync(good.Id, taskId, "task.queued", d => d.Status == "delivered", "the healthy subscription's deliveries");
        for (var pass = 0; pass < 5; pass++) await SendDueAsync();
        var received = Receiver.RequestsTo(healthy);
        Assert.Equal(tasks.Count * 2, received.Count);
        Assert.Equal(received.Count, received.Select(r => r.Header("webhook-id")).Distinct().Count());
        Assert.Empty(Receiver.RequestsTo(unreadable));
    }

    [Fact]
    public async Task A_subscription_whose_secret_cannot_be_read_is_repaired_by_giving_it_a_new_one()
    {
        var url = Receiver.NewUrl();
        var subscription = await SubscribeAsync(url, ["task.created"]);
        await SealUnderAnotherKeyAsync(subscription.Id);

        var rotated = await PatchAsync(subscription.Id, new { rotateSecret = true });
        Assert.NotNull(rotated.Secret);
        Assert.False(rotated.RotatingSecret); // the old secret cannot sign beside the new one

        await Host.CreateTaskAsync("Signed again");
        var request = Assert.Single(await Receiver.WaitForAsync(url, 1));
        Assert.Single(request.Header("webhook-signature").Split(' '));
        Assert.True(SubscriberVerification.StandardWebhooks(rotated.Secret!, request));
    }

    /// <summary>What a changed <c>Optio:SecretsKey</c> does to a stored secret: it is sealed under a key this host does not have.</summary>
    async Task SealUnderAnotherKeyAsync(Guid subscriptionId)
    {
        var otherKey = Microsoft.Extensions.Options.Options.Create(new SecretsOptions { SecretsKey = Convert.ToBase64String(new byte[32]) });
        var otherCipher = new SecretCipher(otherKey, null!, NullLogger<SecretCipher>.Instance);
        await using var session = Api.Store.LightweightSession();
        var subscription = (await session.LoadAsync<WebhookSubscription>(subscriptionId))!;
        subscription.SealedSecret = otherCipher.Encrypt(subscription.SecretName, "whsec_" + Convert.ToBase64String(new byte[24]));
        session.Store(subscription);
        await session.SaveChangesAsync();
    }
}
