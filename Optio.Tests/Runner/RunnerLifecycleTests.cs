using Optio.Tests.Hosts;
using Optio.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Optio.Tests.Runner;

/// <summary>The runner's own life: refusing bad settings, losing a lease, stopping gracefully, sharing the queue.</summary>
[Collection(RunnerCollection.Name)]
public sealed class RunnerLifecycleTests(RunnerHost service, ITestOutputHelper output) : RunnerTest(service, output)
{
    [Fact]
    public async Task A_wrong_key_stops_the_runner_with_exit_code_2_before_it_claims_anything()
    {
        var id = await Service.CreateTaskAsync("Waits for a runner", RepoUrl);
        var environment = new Dictionary<string, string>(Sandbox.RunnerEnvironment(GitHub)) { ["Optio__Runner__Key"] = "not-the-key" };

        await using var runner = RunnerProcess.Start(
            ["--api", Service.BaseUrl.ToString(), "--command", "true", "--workdir", Sandbox.Workdir], environment, Output);

        Assert.Equal(2, await runner.WaitForExitAsync());
        Assert.Contains("refused the API key (401)", runner.Output);
        Assert.Equal("queued", (await Service.TaskAsync(id)).State);
    }

    [Fact]
    public async Task An_unreachable_api_stops_the_runner_with_exit_code_2()
    {
        await using var runner = RunnerProcess.Start(
            ["--api", $"http://127.0.0.1:{FreePort.Next()}", "--key", ApiHost.ApiKey, "--command", "true", "--workdir", Sandbox.Workdir],
            Sandbox.RunnerEnvironment(GitHub), Output);

        Assert.Equal(2, await runner.WaitForExitAsync());
        Assert.Contains("Cannot reach the Optio API", runner.Output);
    }

    [Fact]
    public async Task Heartbeats_keep_a_task_that_runs_longer_than_its_lease()
    {
        var id = await Service.CreateTaskAsync("Takes a while", RepoUrl);

        await using var runner = StartRunner($"sleep 7; echo https://github.com/{Sandbox.Owner}/{Repo}/pull/8", "--lease", "3");
        Assert.Equal(0, await runner.WaitForExitAsync());

        var task = await Service.TaskAsync(id); // without heartbeats the sweep would have failed it 3 s in
        Assert.Equal(("pr_opened", null), (task.State, task.Reason));
    }

    [Fact]
    public async Task A_lost_lease_stops_the_agent_removes_the_working_copy_and_leaves_the_task_as_the_service_has_it()
    {
        var id = await Service.CreateTaskAsync("Taken away", RepoUrl);
        var pidFile = Path.Combine(Sandbox.Root, "agent.pid");
        await using var runner = StartRunner($"echo $$ > {pidFile}; sleep 600", "--lease", "3");
        await Eventually.Until(() => Service.TaskAsync(id), t => t.State == "running" && File.Exists(pidFile), what: "the agent to run");

        // An operator cancels the task: the runner's next heartbeat (every second with a 3 s lease) is refused.
        await Service.PostAsync($"/api/tasks/{id}/cancel", new { reason = "not wanted any more" });

        Assert.Equal(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("lease_lost", Assert.Single(runner.SummaryLines(id)));
        Assert.False(RunningAgentsTests.IsAlive(int.Parse(await File.ReadAllTextAsync(pidFile))), "the agent still runs");
        Assert.False(Directory.Exists(WorkingCopy(id)));
        var task = await Service.TaskAsync(id);
        Assert.Equal(("cancelled", "not wanted any more"), (task.State, task.Reason));
    }

    [Fact]
    public async Task Stopping_the_runner_stops_claiming_lets_agents_finish_within_the_grace_period_and_fails_the_rest_as_runner_stopped()
    {
        var quick = await Service.CreateTaskAsync("quick one", RepoUrl);
        var slow = await Service.CreateTaskAsync("slow one", RepoUrl);
        var later = await Service.CreateTaskAsync("never claimed", RepoUrl);
        var agent = $"""
            touch "{Sandbox.Root}/$OPTIO_TASK_ID.started"
            case "$OPTIO_TITLE" in
              quick*) sleep 2; echo "https://github.com/{Sandbox.Owner}/{Repo}/pull/5" ;;
              *) echo "still going"; sleep 600 ;;
            esac
            """;
        await using var runner = StartRunner(agent, "--concurrency", "2", "--grace", "4s");
        await Eventually.Until(() => Task.FromResult(File.Exists($"{Sandbox.Root}/{quick}.started") && File.Exists($"{Sandbox.Root}/{slow}.started")),
            started => started, what: "both agents to start");

        await runner.TerminateAsync();

        Assert.Equal(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("pr_opened", (await Service.TaskAsync(quick)).State);
        var stopped = await Service.TaskAsync(slow);
        Assert.Equal("failed", stopped.State);
        Assert.StartsWith("runner stopped", stopped.Reason);
        Assert.Contains("still going", stopped.Reason);
        Assert.Equal("queued", (await Service.TaskAsync(later)).State);
    }

    [Fact]
    public async Task Two_runners_with_concurrency_2_run_each_of_10_tasks_exactly_once()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++) ids.Add(await Service.CreateTaskAsync($"task {i}", RepoUrl));
        var runs = Path.Combine(Sandbox.Root, "runs.txt");
        var agent = $"""echo "$OPTIO_TASK_ID" >> {runs}; sleep 0.5; echo "https://github.com/{Sandbox.Owner}/{Repo}/pull/$$" """;

        // Two runners sharing one workdir, as two services on one machine would: one mirror, taken in turn.
        await using var first = StartRunner(agent, "--concurrency", "2");
        await using var second = StartRunner(agent, "--concurrency", "2");
        Assert.Equal((0, 0), (await first.WaitForExitAsync(), await second.WaitForExitAsync()));

        var ran = (await File.ReadAllLinesAsync(runs)).Select(Guid.Parse).ToList();
        Assert.Equal(ids.Order(), ran.Order());
        foreach (var id in ids) Assert.Equal("pr_opened", (await Service.TaskAsync(id)).State);
        Assert.Equal(10, ids.Sum(id => first.SummaryLines(id).Count + second.SummaryLines(id).Count));
    }
}
