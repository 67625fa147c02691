using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

/// <summary>Blocking is decided on the aggregate: recorded only when it changes, and a blocked task refuses a claim.</summary>
public class BlockerDecisionTests
{
    static readonly TicketRef Own = new(TicketSource.Linear, Guid.NewGuid().ToString("D"), "ENG-2", "https://linear.app/acme/issue/eng-2");
    static readonly TicketBlocker First = new(TicketKey.Linear(Guid.NewGuid()).Value, "ENG-1", "https://linear.app/acme/issue/eng-1");
    static readonly TicketBlocker Second = new(TicketKey.Linear(Guid.NewGuid()).Value, "ENG-3", null);

    static OptioTask Queued() => OptioTask.Begin(Own.Key.TaskId, new TicketImported(Own, "t", "p", null)).When(new TaskQueued());

    static OptioTask Apply(OptioTask task, Decision decision) => decision.Events.Aggregate(task, (t, e) => t.When(e));

    [Fact]
    public void The_same_blockers_in_any_order_decide_nothing_the_second_time()
    {
        var blocked = Apply(Queued(), Queued().FollowBlockers(Own.Key, [First, Second]));

        Assert.Equal(Decision.Nothing, blocked.FollowBlockers(Own.Key, [Second, First, Second]));
        Assert.IsType<TaskBlocked>(Assert.Single(blocked.FollowBlockers(Own.Key, [First]).Events));
        Assert.IsType<TaskUnblocked>(Assert.Single(blocked.FollowBlockers(Own.Key, []).Events));
        Assert.Equal(Decision.Nothing, Queued().FollowBlockers(Own.Key, []));
    }

    [Fact]
    public void A_blocked_task_refuses_a_claim_naming_its_blockers_and_takes_one_when_the_last_blocker_finishes()
    {
        var blocked = Apply(Queued(), Queued().FollowBlockers(Own.Key, [First, Second]));

        var refused = blocked.Claim("r", TimeSpan.FromMinutes(1), DateTimeOffset.UnixEpoch);
        Assert.True(refused.IsRefused);
        Assert.StartsWith("Cannot claim: the ticket is blocked by ", refused.Refusal!.Message);
        Assert.Contains("ENG-1", refused.Refusal.Message);
        Assert.Contains("ENG-3", refused.Refusal.Message);

        var oneLeft = Apply(blocked, blocked.FollowBlockerFinished(TicketKey.Parse(First.Key)));
        Assert.Equal([Second], oneLeft.BlockedBy);
        var free = Apply(oneLeft, oneLeft.FollowBlockerFinished(TicketKey.Parse(Second.Key)));
        Assert.Empty(free.BlockedBy);
        Assert.False(free.Claim("r", TimeSpan.FromMinutes(1), DateTimeOffset.UnixEpoch).IsRefused);
    }

    [Fact]
    public void Only_the_tasks_own_ticket_is_followed_for_blockers()
    {
        var linked = TicketKey.GitHub("acme", "web", 9);

        Assert.Equal(Decision.Nothing, Queued().FollowBlockers(linked, [First]));
    }
}
