using Xunit.Abstractions;
using Optio.Tests.Fakes;
using Optio.Tests.Hosts;

namespace Optio.Tests.Runner;

/// <summary>What every runner scenario starts from: a service, a git sandbox with one repository, and a way to start runners.</summary>
public abstract class RunnerTest(RunnerHost service, ITestOutputHelper output) : IAsyncLifetime
{
    protected RunnerHost Service => service;
    protected ITestOutputHelper Output => output;
    protected FakeGitHub GitHub => service.GitHub;
    protected GitSandbox Sandbox { get; private set; } = null!;
    protected string Repo { get; } = $"webapp{Guid.NewGuid():N}"[..14];
    protected string RepoUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await service.CancelLeftoversAsync();
        Sandbox = await GitSandbox.CreateAsync(GitHub.ApiUrl); // tickets of the fake live on its host
        RepoUrl = await Sandbox.AddRemoteAsync(Repo);
        GitHub.AddRepo(Sandbox.Owner, Repo);
    }

    public Task DisposeAsync() => service.CancelLeftoversAsync();

    /// <summary>A runner that works until the queue is empty, polling fast.</summary>
    protected RunnerProcess StartRunner(string command, params string[] more) =>
        RunnerProcess.Start(
            ["--api", service.BaseUrl.ToString(), "--key", ApiHost.ApiKey, "--command", command, "--workdir", Sandbox.Workdir,
             "--until-empty", "--poll", "0.2", .. more],
            Sandbox.RunnerEnvironment(GitHub), output);

    protected string WorkingCopy(Guid taskId) => Path.Combine(Sandbox.Workdir, "tasks", taskId.ToString());
    protected string LogFile(Guid taskId) => Path.Combine(Sandbox.Workdir, "logs", $"{taskId}.log");
}
