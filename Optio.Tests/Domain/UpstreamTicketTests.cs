using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

/// <summary>The upstream rule, whole in the aggregate: which ticket edits and withdrawals a task follows.</summary>
public class UpstreamTicketTests
{
    static readonly TicketRef Own = new("linear", "7d4b4f6e-8a1c-4a57-9b39-2f0c4c1d9e11", "ENG-42", null);
    static readonly TicketRef Linked = new("github", "acme/webapp#42", "acme/webapp#42", null);
    static readonly TicketRef Stranger = new("github", "acme/webapp#43", "acme/webapp#43", null);

    static OptioTask Queued() =>
        OptioTask.Begin(Own.Key.TaskId, new TicketImported(Own, "Title", "Prompt", null)).When(new TaskQueued()).When(new TicketLinked(Linked));

    static OptioTask Running() =>
        Queued().When(new TaskClaimed("runner-1", DateTimeOffset.UnixEpoch.AddHours(1))).When(new TaskStarted("runner-1"));

    [Fact]
    public void A_queued_task_follows_an_edit_of_the_ticket_it_was_born_from()
    {
        var edit = Assert.IsType<TicketUpdated>(Assert.Single(Queued().FollowTicketEdit(Own.Key, "New title", "Prompt").Events));
        Assert.Equal("New title", edit.Title);
    }

    [Fact]
    public void An_edit_of_a_linked_ticket_is_not_followed() =>
        Assert.Same(Decision.Nothing, Queued().FollowTicketEdit(Linked.Key, "Linked title", "Linked body"));

    [Fact]
    public void An_edit_of_a_ticket_that_is_not_the_tasks_is_not_followed() =>
        Assert.Same(Decision.Nothing, Queued().FollowTicketEdit(Stranger.Key, "Other", "Other"));

    [Fact]
    public void An_edit_reaches_no_task_someone_already_works_on() =>
        Assert.Same(Decision.Nothing, Running().FollowTicketEdit(Own.Key, "New title", "Prompt"));

    [Fact]
    public void A_task_typed_in_by_a_person_follows_no_ticket()
    {
        var typed = OptioTask.Begin(Guid.NewGuid(), new TaskCreated("Title", "Prompt", null));
        Assert.Same(Decision.Nothing, typed.FollowTicketEdit(Own.Key, "New title", "Prompt"));
        Assert.Same(Decision.Nothing, typed.FollowTicketWithdrawn(Own.Key, "ticket closed upstream"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Withdrawing_its_own_or_a_linked_ticket_cancels_a_queued_task(bool own)
    {
        var task = Queued();
        var cancelled = Assert.IsType<TaskCancelled>(Assert.Single(task.FollowTicketWithdrawn((own ? Own : Linked).Key, "ticket closed upstream").Events));
        Assert.Equal((TaskState.Cancelled, "ticket closed upstream"), (task.When(cancelled).State, task.When(cancelled).Reason));
    }

    [Fact]
    public void Withdrawing_a_ticket_that_is_not_the_tasks_changes_nothing() =>
        Assert.Same(Decision.Nothing, Queued().FollowTicketWithdrawn(Stranger.Key, "ticket closed upstream"));

    [Fact]
    public void A_task_in_progress_carries_on_when_its_ticket_is_withdrawn() =>
        Assert.Same(Decision.Nothing, Running().FollowTicketWithdrawn(Own.Key, "label removed upstream"));

    [Fact]
    public void A_ticket_key_is_the_same_however_it_is_built() =>
        Assert.Equal(TicketKey.GitHub("Acme", "WebApp", 42), TicketKey.Of("github", "acme/webapp#42"));
}
