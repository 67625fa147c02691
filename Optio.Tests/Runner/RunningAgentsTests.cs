using Xunit.Abstractions;
using Optio.Domain.PullRequests;
using Optio.Domain.Tickets;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Runner;

/// <summary>What the runner does with an agent's work: push and open the pull request, report a printed one, or fail.</summary>
[Collection(RunnerCollection.Name)]
public sealed class RunningAgentsTests(RunnerHost service, ITestOutputHelper output) : RunnerTest(service, output)
{
    [Fact]
    public async Task An_agent_that_commits_gets_its_branch_pushed_and_a_pull_request_that_closes_the_ticket()
    {
        GitHub.AddIssue(Sandbox.Owner, Repo, "Fix login redirect", "Go back to where the user came from.");
        var id = await Service.AssignIssueAsync(Sandbox.Owner, Repo);
        const string agent = """
            printf '%s\n' "$OPTIO_TASK_ID" "$OPTIO_TITLE" "$OPTIO_PROMPT" "$OPTIO_REPO_URL" "$OPTIO_BRANCH" "$OPTIO_TICKET_URL" > AGENT.txt
            git add AGENT.txt && git commit -q -m "agent: fix the redirect" && echo "committed"
            """;

        await using var runner = StartRunner(agent);
        Assert.Equal(0, await runner.WaitForExitAsync());

        var branch = TaskBranch.For(id);
        Assert.Contains(branch, await Sandbox.BranchesAsync(Repo));
        var seen = (await Sandbox.GitAsync(Sandbox.BarePath(Repo), "show", $"{branch}:AGENT.txt")).Split('\n');
        var assigned = await Service.TaskAsync(id); // its repository and ticket live on the fake's host, as on GitHub Enterprise
        Assert.Equal([id.ToString(), "Fix login redirect", "Go back to where the user came from.", assigned.RepoUrl!, branch, assigned.Ticket!.Url!], seen);
        Assert.Equal("agent: fix the redirect", await Sandbox.GitAsync(Sandbox.BarePath(Repo), "log", "-1", "--format=%s", branch));

        var pr = Assert.Single(GitHub.Pulls(Sandbox.Owner, Repo));
        Assert.Equal((branch, "main", "Fix login redirect"), (pr.HeadRef, pr.BaseRef, pr.Title));
        Assert.Contains("Closes #1", pr.Body);
        Assert.Equal([TicketKey.GitHub(Sandbox.Owner, Repo, 1)], ClosingKeywords.IssuesClosedBy(pr.Body, Sandbox.Owner, Repo));

        var task = await Service.TaskAsync(id);
        Assert.Equal(("pr_opened", $"https://github.com/{Sandbox.Owner}/{Repo}/pull/{pr.Number}"), (task.State, task.PrUrl));
        Assert.Contains("pr_opened", Assert.Single(runner.SummaryLines(id)));
        Assert.False(Directory.Exists(WorkingCopy(id)));
        Assert.Contains("committed", await File.ReadAllTextAsync(LogFile(id)));
    }

    [Fact]
    public async Task The_readme_example_agent_gets_its_pull_request_opened()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root(), "README.md"));
        var start = readme.IndexOf("--command '", readme.IndexOf("## Run an agent", StringComparison.Ordinal), StringComparison.Ordinal) + "--command '".Length;
        var command = readme[start..readme.IndexOf("'\n", start, StringComparison.Ordinal)];
        var id = await Service.CreateTaskAsync("Add a CONTRIBUTING file", RepoUrl, "Ask for tests with every change.");

        await using var runner = StartRunner(command);
        Assert.Equal(0, await runner.WaitForExitAsync());

        Assert.Equal("pr_opened", (await Service.TaskAsync(id)).State);
        Assert.Equal("# Contributing\n\nAsk for tests with every change.",
            await Sandbox.GitAsync(Sandbox.BarePath(Repo), "show", $"{TaskBranch.For(id)}:CONTRIBUTING.md"));
        Assert.Matches(@"^\d\d:\d\d:\d\d [0-9a-f-]{36} pr_opened \d+\.\ds ""Add a CONTRIBUTING file"" https://github.com/acme/\w+/pull/\d+\s*$",
            Assert.Single(runner.SummaryLines(id)));
    }

    [Fact]
    public async Task An_agent_that_prints_a_pull_request_url_has_that_pull_request_reported()
    {
        var id = await Service.CreateTaskAsync("Opens its own PR", RepoUrl);
        var printed = $"https://github.com/{Sandbox.Owner}/{Repo}/pull/77";

        await using var runner = StartRunner($"echo 'working'; echo 'Created pull request {printed} for you'");
        Assert.Equal(0, await runner.WaitForExitAsync());

        var task = await Service.TaskAsync(id);
        Assert.Equal(("pr_opened", printed), (task.State, task.PrUrl));
        Assert.Empty(GitHub.Pulls(Sandbox.Owner, Repo));
        Assert.DoesNotContain(TaskBranch.For(id), await Sandbox.BranchesAsync(Repo));
    }

    [Fact]
    public async Task An_agent_that_fails_fails_the_task_with_its_last_50_lines_and_secrets_masked()
    {
        var id = await Service.CreateTaskAsync("Breaks", RepoUrl);

        await using var runner = StartRunner("""for i in $(seq 1 60); do echo "line $i"; done; echo "token is $GITHUB_TOKEN" >&2; exit 3""");
        Assert.Equal(0, await runner.WaitForExitAsync());

        var task = await Service.TaskAsync(id);
        Assert.Equal("failed", task.State);
        Assert.StartsWith("the agent exited with code 3", task.Reason);
        Assert.Contains("line 12\n", task.Reason);
        Assert.Contains("line 60\n", task.Reason);
        Assert.DoesNotContain("line 11\n", task.Reason);
        Assert.EndsWith("token is ***", task.Reason);
        Assert.DoesNotContain(Fakes.FakeGitHub.Token, await File.ReadAllTextAsync(LogFile(id)));
        Assert.False(Directory.Exists(WorkingCopy(id)));
        Assert.Contains("failed", Assert.Single(runner.SummaryLines(id)));
    }

    [Fact]
    public async Task An_agent_that_makes_no_changes_fails_the_task()
    {
        var id = await Service.CreateTaskAsync("Does nothing", RepoUrl);

        await using var runner = StartRunner("echo 'nothing to do'");
        Assert.Equal(0, await runner.WaitForExitAsync());

        var task = await Service.TaskAsync(id);
        Assert.Equal("failed", task.State);
        Assert.StartsWith("the agent made no changes", task.Reason);
        Assert.Empty(GitHub.Pulls(Sandbox.Owner, Repo));
    }

    [Fact]
    public async Task A_task_without_a_repository_fails_without_running_the_agent()
    {
        var id = await Service.CreateTaskAsync("Nowhere to work", repoUrl: null);
        var ran = Path.Combine(Sandbox.Root, "ran");

        await using var runner = StartRunner($"touch {ran}");
        Assert.Equal(0, await runner.WaitForExitAsync());

        var task = await Service.TaskAsync(id);
        Assert.Equal(("failed", "could not prepare the working copy: the task names no repository (repoUrl)"), (task.State, task.Reason));
        Assert.False(File.Exists(ran));
    }

    [Fact]
    public async Task An_agent_that_outlives_the_timeout_is_stopped_and_fails_the_task()
    {
        var id = await Service.CreateTaskAsync("Hangs", RepoUrl);
        var pidFile = Path.Combine(Sandbox.Root, "agent.pid");

        await using var runner = StartRunner($"echo $$ > {pidFile}; echo 'thinking'; sleep 600", "--timeout", "2s");
        Assert.Equal(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var task = await Service.TaskAsync(id);
        Assert.Equal("failed", task.State);
        Assert.StartsWith("the agent timed out after 2s", task.Reason);
        Assert.Contains("thinking", task.Reason);
        Assert.False(IsAlive(int.Parse(await File.ReadAllTextAsync(pidFile))), "the agent's shell still runs");
        Assert.False(Directory.Exists(WorkingCopy(id)));
    }

    internal static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
}
