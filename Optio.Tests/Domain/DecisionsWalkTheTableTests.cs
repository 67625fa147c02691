using Optio.Domain.PullRequests;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

/// <summary>Every state change any decision makes is a move of the transition table, including several in one decision.</summary>
public class DecisionsWalkTheTableTests
{
    static readonly DateTimeOffset Later = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    const string Pr = "https://github.com/acme/webapp/pull/7";

    static IEnumerable<Func<OptioTask, Decision>> Decisions() =>
    [
        t => t.Observe(new PrObservation(Pr, Open: false, Merged: true)),
        t => t.Observe(new PrObservation(Pr, Open: false, Merged: false)),
        t => t.Observe(new PrObservation(Pr, true, false, ["build"], [])),
        t => t.Observe(new PrObservation(Pr, true, false, [], ["alice"])),
        t => t.Observe(new PrObservation(Pr, true, false, [], [])),
        t => t.ExpireLease(Later),
        t => t.FollowTicketWithdrawn(t.Ticket?.Key ?? TicketKey.GitHub("acme", "webapp", 1), "ticket closed upstream"),
        t => t.LinkFoundPr("https://github.com/acme/webapp/pull/8"),
    ];

    public static TheoryData<TaskState> States() => new(Enum.GetValues<TaskState>());

    [Theory, MemberData(nameof(States))]
    public void No_decision_makes_a_move_outside_the_table(TaskState from)
    {
        foreach (var decide in Decisions())
        {
            var at = TaskTransitionTests.TaskIn(from);
            foreach (var e in decide(at).Events)
            {
                var next = at.When(e);
                Assert.True(next.State == at.State || TaskTransitions.CanMove(at.State, next.State),
                    $"{e.GetType().Name} moves {at.State} to {next.State}, which the table does not allow");
                at = next;
            }
        }
    }

    [Fact]
    public void A_merge_seen_while_needing_attention_goes_back_to_pr_opened_first()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.NeedsAttention);
        var events = task.Observe(new PrObservation(Pr, Open: false, Merged: true)).Events;
        Assert.Equal([typeof(PrAttentionCleared), typeof(PrMerged)], events.Select(e => e.GetType()));
        Assert.Equal(TaskState.Completed, events.Aggregate(task, (t, e) => t.When(e)).State);
    }

    [Fact]
    public void New_trouble_while_needing_attention_replaces_the_reason_without_a_move()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.NeedsAttention);
        var flagged = Assert.IsType<PrNeedsAttention>(Assert.Single(task.Observe(new PrObservation(Pr, true, false, [], ["alice"])).Events));
        Assert.Equal((TaskState.NeedsAttention, "changes requested by alice"), (task.When(flagged).State, task.When(flagged).Reason));
    }
}
