using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

public class TaskTransitionTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    const string Pr = "https://github.com/acme/webapp/pull/7";

    /// <summary>DESIGN.md's table, written out independently of the production one.</summary>
    static readonly (TaskState From, TaskState To)[] Allowed =
    [
        (TaskState.Queued, TaskState.Provisioning), (TaskState.Queued, TaskState.Cancelled), (TaskState.Queued, TaskState.Failed),
        (TaskState.Provisioning, TaskState.Running), (TaskState.Provisioning, TaskState.Queued),
        (TaskState.Provisioning, TaskState.Failed), (TaskState.Provisioning, TaskState.Cancelled),
        (TaskState.Running, TaskState.PrOpened), (TaskState.Running, TaskState.NeedsAttention),
        (TaskState.Running, TaskState.Failed), (TaskState.Running, TaskState.Cancelled),
        (TaskState.PrOpened, TaskState.Completed), (TaskState.PrOpened, TaskState.NeedsAttention),
        (TaskState.PrOpened, TaskState.Failed), (TaskState.PrOpened, TaskState.Cancelled),
        (TaskState.NeedsAttention, TaskState.PrOpened), (TaskState.NeedsAttention, TaskState.Running),
        (TaskState.NeedsAttention, TaskState.Queued), (TaskState.NeedsAttention, TaskState.Cancelled),
        (TaskState.Failed, TaskState.Queued), (TaskState.Cancelled, TaskState.Queued),
    ];

    public static TheoryData<TaskState, TaskState> AllowedPairs()
    {
        var data = new TheoryData<TaskState, TaskState>();
        foreach (var (from, to) in Allowed) data.Add(from, to);
        return data;
    }

    public static TheoryData<TaskState, TaskState> RefusedPairs()
    {
        var data = new TheoryData<TaskState, TaskState>();
        foreach (var from in Enum.GetValues<TaskState>())
        foreach (var to in Enum.GetValues<TaskState>())
            if (!Allowed.Contains((from, to)) && !IsIdempotentRepeat(from, to))
                data.Add(from, to);
        return data;
    }

    // Repeating a fact that is already true (same PR, same merge) is accepted with no events.
    static bool IsIdempotentRepeat(TaskState from, TaskState to) =>
        from == to && from is TaskState.PrOpened or TaskState.Completed or TaskState.NeedsAttention;

    [Theory, MemberData(nameof(AllowedPairs))]
    public void Allowed_transition_appends_an_event_that_lands_in_the_target_state(TaskState from, TaskState to)
    {
        var task = TaskIn(from);
        var decision = CommandTowards(task, to);

        Assert.False(decision.IsRefused, decision.Refusal?.Message);
        Assert.NotEmpty(decision.Events);
        var after = decision.Events.Aggregate(task, (t, e) => t.When(e));
        Assert.Equal(to, after.State);
    }

    [Theory, MemberData(nameof(RefusedPairs))]
    public void Refused_transition_names_current_state_and_allowed_moves(TaskState from, TaskState to)
    {
        var decision = CommandTowards(TaskIn(from), to);

        Assert.True(decision.IsRefused);
        Assert.Empty(decision.Events);
        Assert.Equal(from, decision.Refusal!.Current);
        Assert.Contains(from == TaskState.Completed ? "final state" : from.WireName(), decision.Refusal.Message);
        Assert.Equal(Allowed.Where(p => p.From == from).Select(p => p.To).Order(), decision.Refusal.Allowed.Order());
    }

    [Fact]
    public void Reporting_the_same_pull_request_twice_appends_nothing()
    {
        var task = TaskIn(TaskState.PrOpened);
        Assert.Same(Decision.Nothing, task.OpenPr(Pr));
        Assert.True(task.OpenPr("https://github.com/acme/webapp/pull/8").IsRefused);
    }

    [Fact]
    public void Heartbeat_from_another_runner_is_refused()
    {
        var task = TaskIn(TaskState.Provisioning);
        var decision = task.Heartbeat("intruder", TimeSpan.FromMinutes(1), Now);
        Assert.True(decision.IsRefused);
        Assert.Contains("runner-1", decision.Refusal!.Message);
    }

    [Fact]
    public void Heartbeat_extends_the_lease()
    {
        var task = TaskIn(TaskState.Running);
        var renewed = Assert.IsType<LeaseRenewed>(Assert.Single(task.Heartbeat("runner-1", TimeSpan.FromMinutes(10), Now.AddMinutes(3)).Events));
        Assert.Equal(Now.AddMinutes(13), renewed.LeaseExpiresAt);
    }

    [Fact]
    public void Lease_that_has_not_run_out_changes_nothing()
    {
        var task = TaskIn(TaskState.Provisioning);
        Assert.Empty(task.ExpireLease(Now.AddSeconds(59)).Events);
    }

    [Fact]
    public void Expired_claim_goes_back_to_the_queue_with_the_reason()
    {
        var task = TaskIn(TaskState.Provisioning);
        var requeued = Assert.IsType<TaskRequeued>(Assert.Single(task.ExpireLease(Now.AddMinutes(1)).Events));
        Assert.Contains("lease expired", requeued.Reason);
        Assert.Contains("runner-1", requeued.Reason);
        Assert.Equal(TaskState.Queued, task.When(requeued).State);
        Assert.Null(task.When(requeued).RunnerId);
    }

    [Fact]
    public void Expired_lease_of_a_running_task_fails_it()
    {
        var task = TaskIn(TaskState.Running);
        var failed = Assert.IsType<TaskFailed>(Assert.Single(task.ExpireLease(Now.AddHours(1)).Events));
        Assert.Contains("lease expired", failed.Reason);
    }

    [Fact]
    public void A_task_with_a_pull_request_holds_no_lease()
    {
        var task = TaskIn(TaskState.PrOpened);
        Assert.Null(task.LeaseExpiresAt);
        Assert.Empty(task.ExpireLease(Now.AddDays(1)).Events);
    }

    [Fact]
    public void Ticket_edits_change_title_and_prompt_but_not_state()
    {
        var task = TaskIn(TaskState.Queued).When(new TicketUpdated("New title", "New body"));
        Assert.Equal(("New title", "New body", TaskState.Queued), (task.Title, task.Prompt, task.State));
    }

    [Fact]
    public void A_queued_task_follows_a_ticket_whose_labels_alone_changed_and_keeps_the_agent_type_chosen_on_assign()
    {
        var ticket = new TicketRef("github", "acme/webapp#1", "acme/webapp#1", null);
        var task = OptioTask.Begin(ticket.Key.TaskId, new TicketImported(ticket, "T", "P", null)).When(new TaskQueued())
            .When(new TicketUpdated("T", "P", new TicketMetadata(["optio"], "alice", AgentType: "claude")));
        Assert.Empty(task.FollowTicketEdit(ticket.Key, "T", "P", new TicketMetadata(["optio"], "alice")).Events);
        Assert.Empty(task.FollowTicketEdit(ticket.Key, "T", "P").Events);

        var edit = Assert.IsType<TicketUpdated>(Assert.Single(task.FollowTicketEdit(ticket.Key, "T", "P", new TicketMetadata(["optio", "urgent"], "alice")).Events));
        var followed = task.When(edit);
        Assert.Equal(["optio", "urgent"], followed.Metadata!.Labels);
        Assert.Equal("claude", followed.Metadata.AgentType);
        Assert.Equal(followed.Metadata, followed.When(new TicketUpdated("Older event", "without metadata")).Metadata);
    }

    [Theory]
    [InlineData("pr_opened", TaskState.PrOpened)]
    [InlineData("NEEDS_ATTENTION", TaskState.NeedsAttention)]
    [InlineData("queued", TaskState.Queued)]
    public void Wire_names_parse_case_insensitively(string wire, TaskState expected)
    {
        Assert.True(TaskTransitions.TryParseWireName(wire, out var state));
        Assert.Equal(expected, state);
    }

    /// <summary>The command whose natural target is <paramref name="to"/>.</summary>
    static Decision CommandTowards(OptioTask task, TaskState to) => to switch
    {
        TaskState.Provisioning => task.Claim("runner-2", TimeSpan.FromMinutes(1), Now),
        TaskState.Running => task.Start(null),
        TaskState.PrOpened => task.OpenPr("https://github.com/acme/webapp/pull/99"),
        TaskState.NeedsAttention => task.NeedAttention("CI failed: build"),
        TaskState.Completed => task.Merge(Pr),
        TaskState.Failed => task.Fail("agent crashed"),
        TaskState.Cancelled => task.Cancel("not needed"),
        TaskState.Queued => task.Retry(),
        _ => throw new ArgumentOutOfRangeException(nameof(to)),
    };

    /// <summary>A task brought to <paramref name="state"/> by the events that really lead there.</summary>
    internal static OptioTask TaskIn(TaskState state)
    {
        var id = Guid.NewGuid();
        object[] path = state switch
        {
            TaskState.Queued => [],
            TaskState.Provisioning => [Claimed],
            TaskState.Running => [Claimed, new TaskStarted("runner-1")],
            TaskState.PrOpened => [Claimed, new TaskStarted("runner-1"), new PrOpened(Pr)],
            TaskState.NeedsAttention => [Claimed, new TaskStarted("runner-1"), new PrOpened(Pr), new PrNeedsAttention("CI failed: build")],
            TaskState.Completed => [Claimed, new TaskStarted("runner-1"), new PrOpened(Pr), new PrMerged(Pr)],
            TaskState.Failed => [new TaskFailed("boom")],
            TaskState.Cancelled => [new TaskCancelled("nope")],
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
        var task = OptioTask.Begin(id, new TaskCreated("Fix login", "Make login work", null)).When(new TaskQueued());
        task = path.Aggregate(task, (t, e) => t.When(e));
        Assert.Equal(state, task.State);
        return task;
    }

    static readonly TaskClaimed Claimed = new("runner-1", Now.AddMinutes(1));
}
