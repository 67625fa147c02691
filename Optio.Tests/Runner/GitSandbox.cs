using Optio.Tests.Fakes;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.Runner;

/// <summary>
/// One test's corner of the test run's directory: local bare repositories standing in for github.com (git's
/// <c>url.&lt;dir&gt;.insteadOf https://github.com/</c>, in a config file of the test's own passed as
/// <c>GIT_CONFIG_GLOBAL</c>, so the user's git config is neither read nor touched), a runner workdir, and the
/// environment a runner process gets.
/// </summary>
public sealed class GitSandbox
{
    public string Root { get; }
    public string Remotes => Path.Combine(Root, "remotes");
    public string Workdir => Path.Combine(Root, "work");
    public string Owner => "acme";

    GitSandbox(string root) => Root = root;

    /// <param name="alsoGitHub">Further web hosts that stand for GitHub (a fake's, as GitHub Enterprise would be).</param>
    public static async Task<GitSandbox> CreateAsync(params Uri[] alsoGitHub)
    {
        var hosts = string.Concat(alsoGitHub.Select(h => $"\n\tinsteadOf = https://{h.Authority}/"));
        var sandbox = new GitSandbox(Path.Combine(TestRun.Directory, "runner", Guid.NewGuid().ToString("N")[..12]));
        Directory.CreateDirectory(sandbox.Remotes);
        await File.WriteAllTextAsync(sandbox.GitConfig, $"""
            [user]
            	name = Optio Test Agent
            	email = agent@optio.invalid
            [init]
            	defaultBranch = main
            [url "{sandbox.Remotes}/"]
            	insteadOf = https://github.com/{hosts}
            """);
        return sandbox;
    }

    string GitConfig => Path.Combine(Root, "gitconfig");

    /// <summary>git's settings for every git this test runs, directly or through a runner and its agent.</summary>
    public Dictionary<string, string> GitEnvironment => new()
    {
        ["GIT_CONFIG_GLOBAL"] = GitConfig,
        ["GIT_CONFIG_NOSYSTEM"] = "1",
    };

    /// <summary>The environment of a runner process: git as above, and GitHub as the service reaches it.</summary>
    public Dictionary<string, string> RunnerEnvironment(FakeGitHub gitHub) => new(GitEnvironment)
    {
        ["GITHUB_TOKEN"] = FakeGitHub.Token,
        ["Optio__GitHub__ApiUrl"] = gitHub.ApiUrl.ToString(),
    };

    /// <summary>A bare repository at <c>https://github.com/acme/&lt;name&gt;</c> (as git sees it) with one commit on main.</summary>
    public async Task<string> AddRemoteAsync(string name)
    {
        var seed = Path.Combine(Root, "seed-" + name);
        var bare = BarePath(name);
        await GitAsync(Root, "init", "--quiet", seed);
        await File.WriteAllTextAsync(Path.Combine(seed, "README.md"), $"# {name}\n");
        await GitAsync(seed, "add", "README.md");
        await GitAsync(seed, "commit", "--quiet", "-m", "first commit");
        await GitAsync(Root, "clone", "--quiet", "--bare", seed, bare);
        return $"https://github.com/{Owner}/{name}";
    }

    public string BarePath(string name) => Path.Combine(Remotes, Owner, name + ".git");

    /// <summary>Branches of the stand-in remote.</summary>
    public async Task<string[]> BranchesAsync(string name) =>
        (await GitAsync(BarePath(name), "for-each-ref", "--format=%(refname:short)", "refs/heads"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async Task<string> GitAsync(string directory, params string[] arguments)
    {
        var (code, output) = await CommandRun.RunAsync("git", arguments, GitEnvironment, TimeSpan.FromSeconds(60), directory);
        Assert.True(code == 0, $"git {string.Join(' ', arguments)} failed: {output}");
        return output.Trim();
    }
}
