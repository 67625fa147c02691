using Optio.Domain.PullRequests;
using Optio.Domain.Repos;
using Optio.Domain.Tickets;
using Optio.Runner;
using Optio.Runner.Agent;
using Optio.Runner.PullRequests;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Runner;

/// <summary>The runner's pure parts: settings, the pull request's text, masking, the tail.</summary>
public sealed class RunnerPartsTests
{
    static readonly GitHubUrl Webapp = GitHubUrl.Repo("https://github.com/acme/webapp")!;

    static ClaimedTask Task(TaskTicket? ticket) => new(Guid.NewGuid(), "Fix login", "Go back after login.", Webapp.RepoUrl, ticket, "provisioning", "r", 2);

    [Fact]
    public void A_pull_request_body_closes_a_github_ticket_in_words_the_service_links_by()
    {
        var same = PullRequestText.Body(Task(new TaskTicket("github", "github:acme/webapp#42", "acme/webapp#42", null)), Webapp, "r");
        var other = PullRequestText.Body(Task(new TaskTicket("github", "github:acme/api#7", "acme/api#7", null)), Webapp, "r");

        Assert.Equal([TicketKey.GitHub("acme", "webapp", 42)], ClosingKeywords.IssuesClosedBy(same, "acme", "webapp"));
        Assert.Equal([TicketKey.GitHub("acme", "api", 7)], ClosingKeywords.IssuesClosedBy(other, "acme", "webapp"));
        Assert.StartsWith("Closes #42\n", same);
    }

    [Fact]
    public void A_pull_request_body_closes_a_linear_ticket_by_its_identifier_and_names_no_ticket_for_a_manual_task()
    {
        Assert.StartsWith("Closes ENG-42\n", PullRequestText.Body(Task(new TaskTicket("linear", "linear:5b1c", "ENG-42", null)), Webapp, "r"));
        var manual = PullRequestText.Body(Task(null), Webapp, "r");
        Assert.DoesNotContain("Closes", manual);
        Assert.Contains("Go back after login.", manual);
    }

    [Fact]
    public void Secrets_are_masked_the_runners_own_and_anything_shaped_like_a_credential()
    {
        var mask = new SecretMask(["runner-api-key-123"]);
        var line = mask.Apply("key runner-api-key-123 token ghp_abcdefghijklmnopqrstuvwxyz0123 url https://u:hunter2@host/x Authorization: Bearer abc.def.ghi12");
        Assert.Equal("key *** token *** url https://u:***@host/x Authorization: Bearer ***", line);
    }

    [Fact]
    public void The_tail_keeps_the_last_lines_printably_and_the_last_pull_request_printed()
    {
        var tail = new OutputTail(lines: 3);
        foreach (var line in new[] { "https://github.com/a/b/pull/1", "\u001b[31mred\u001b[0m", "nul\0here", "see https://ghe.example/a/b/pull/9." })
            tail.Add(line);
        Assert.Equal("red\nnulhere\nsee https://ghe.example/a/b/pull/9.", tail.Text(1000));
        Assert.Equal("https://ghe.example/a/b/pull/9", tail.PullRequestUrl);
        Assert.Equal("…b/pull/9.", tail.Text(10));
    }

    [Fact]
    public void Settings_on_the_command_line_win_over_appsettings_and_bad_ones_are_all_named()
    {
        var dir = Path.Combine(TestRun.Directory, "runner", "settings-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "appsettings.json"),
            """{"Optio":{"Runner":{"Api":"http://127.0.0.1:5080","Key":"from-file","Command":"claude -p \"$OPTIO_PROMPT\"","Concurrency":3}}}""");

        var (settings, problems) = RunnerSettings.Read(["--key", "from-args", "--timeout=15m", "--workdir", "w", "--until-empty"], dir);
        Assert.Empty(problems);
        Assert.Equal(("from-args", 3, TimeSpan.FromMinutes(15), Path.Combine(dir, "w"), true, 300, null),
            (settings!.Key, settings.Concurrency, settings.Timeout, settings.Workdir, settings.UntilEmpty, settings.LeaseSeconds, settings.Order));

        var (none, wrong) = RunnerSettings.Read(["--concurrency", "0", "--lease", "2", "--timeout", "soon", "--colour", "red"], dir);
        Assert.Null(none);
        Assert.Equal(4, wrong.Count);
        Assert.Contains(wrong, p => p.StartsWith("--concurrency must be", StringComparison.Ordinal));
        Assert.Contains(wrong, p => p == "Unknown argument '--colour'.");
    }
}
