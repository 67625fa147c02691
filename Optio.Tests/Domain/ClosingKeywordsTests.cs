using Optio.Domain.PullRequests;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Tests.Domain;

public class ClosingKeywordsTests
{
    [Theory]
    [InlineData("Fixes #42", "github:acme/webapp#42")]
    [InlineData("this closes: #7 for good", "github:acme/webapp#7")]
    [InlineData("Resolved Other/Repo#3", "github:other/repo#3")]
    [InlineData("fix https://github.com/Acme/WebApp/issues/9", "github:acme/webapp#9")]
    [InlineData("fixes https://ghe.example.com/acme/webapp/issues/9", "github:acme/webapp#9")]
    public void Closing_keywords_name_the_issue(string body, string key) =>
        Assert.Equal(TicketKey.Parse(key), Assert.Single(ClosingKeywords.IssuesClosedBy(body, "acme", "webapp")));

    [Theory]
    [InlineData("See #42")]
    [InlineData("prefixes #42")]
    [InlineData("")]
    public void Mentions_without_a_closing_keyword_close_nothing(string body) =>
        Assert.Empty(ClosingKeywords.IssuesClosedBy(body, "acme", "webapp"));

    [Fact]
    public void Observing_the_same_merge_twice_appends_once()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.PrOpened);
        var merged = new PrObservation(task.PrUrl!, Open: false, Merged: true);
        var first = task.Observe(merged);
        var after = first.Events.Aggregate(task, (t, e) => t.When(e));
        Assert.Single(first.Events);
        Assert.Empty(after.Observe(merged).Events);
    }

    [Fact]
    public void A_pr_with_unknown_ci_does_not_clear_attention()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.NeedsAttention);
        Assert.Empty(task.Observe(new PrObservation(task.PrUrl!, Open: true, Merged: false)).Events);
        Assert.IsType<PrAttentionCleared>(Assert.Single(task.Observe(new PrObservation(task.PrUrl!, true, false, [], [])).Events));
    }

    [Fact]
    public void Another_prs_news_does_not_move_the_task()
    {
        var task = TaskTransitionTests.TaskIn(TaskState.PrOpened);
        Assert.Empty(task.Observe(new PrObservation("https://github.com/acme/webapp/pull/999", false, true)).Events);
    }
}
