using Optio.Domain.PullRequests;
using Optio.Domain.Tasks;

namespace Optio.Tests.Domain;

/// <summary>How a found pull request finds its task: the task's branch, and the aggregate's "only while running without one".</summary>
public class PullRequestLinkTests
{
    const string Found = "https://github.com/acme/webapp/pull/12";

    [Fact]
    public void A_task_branch_names_its_task_and_reads_back()
    {
        var id = Guid.NewGuid();
        Assert.Equal($"optio/{id}", TaskBranch.For(id));
        Assert.True(TaskBranch.TryParse(TaskBranch.For(id), out var parsed));
        Assert.Equal(id, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("main")]
    [InlineData("optio/")]
    [InlineData("optio/not-a-task")]
    [InlineData("OPTIO/6f5b8c1e-3d2a-4c7b-9e41-0b7a2d9c5e13")]
    [InlineData("feature/optio/6f5b8c1e-3d2a-4c7b-9e41-0b7a2d9c5e13")]
    public void Other_branches_name_no_task(string? branch)
    {
        Assert.False(TaskBranch.TryParse(branch, out var id));
        Assert.Equal(Guid.Empty, id);
    }

    [Fact]
    public void A_running_task_without_a_pull_request_takes_the_one_found()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.Running);
        Assert.True(task.AwaitsPullRequest());
        var opened = Assert.IsType<PrOpened>(Assert.Single(task.LinkFoundPr(Found).Events));
        Assert.Equal(Found, opened.PrUrl);
    }

    [Theory]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Provisioning)]
    [InlineData(TaskState.PrOpened)]
    [InlineData(TaskState.NeedsAttention)]
    [InlineData(TaskState.Completed)]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    public void A_task_that_is_not_running_takes_no_found_pull_request(TaskState state)
    {
        var task = TaskTransitionTests.TaskIn(state);
        Assert.False(task.AwaitsPullRequest());
        Assert.Same(Decision.Nothing, task.LinkFoundPr(Found));
    }

    [Fact]
    public void A_task_running_again_with_its_pull_request_takes_no_other()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.NeedsAttention).When(new TaskStarted("runner-1"));
        Assert.Equal(TaskState.Running, task.State);
        Assert.False(task.AwaitsPullRequest());
        Assert.Same(Decision.Nothing, task.LinkFoundPr(Found));
    }
}
