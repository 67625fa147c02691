using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Optio.Runner;

/// <summary>
/// What the runner needs, read once at start from <c>appsettings.json</c> (current directory), the environment and the
/// command line, later ones winning: <c>--api</c> is <c>Optio:Runner:Api</c> is <c>Optio__Runner__Api</c>. GitHub
/// access is read as the service reads it: <c>GITHUB_TOKEN</c> and <c>Optio:GitHub:ApiUrl</c>.
/// </summary>
internal sealed record RunnerSettings(
    Uri Api,
    string Key,
    string Command,
    int Concurrency,
    string Workdir,
    string? Order,
    int LeaseSeconds,
    TimeSpan Timeout,
    TimeSpan Grace,
    TimeSpan Poll,
    string RunnerId,
    bool UntilEmpty,
    string? GitHubToken,
    Uri GitHubApi)
{
    public const string Section = "Optio:Runner";
    public static readonly Uri DefaultGitHubApi = new("https://api.github.com/");

    /// <summary>Command-line switches and the setting each one sets; flags take no value.</summary>
    static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--api"] = "Api", ["--key"] = "Key", ["--command"] = "Command", ["--concurrency"] = "Concurrency",
        ["--workdir"] = "Workdir", ["--order"] = "Order", ["--lease"] = "Lease", ["--timeout"] = "Timeout",
        ["--grace"] = "Grace", ["--poll"] = "Poll", ["--id"] = "Id",
    };
    static readonly Dictionary<string, string> Flags = new(StringComparer.Ordinal) { ["--until-empty"] = "UntilEmpty" };

    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);

    /// <summary>The settings, or the problems that stop the runner before it claims anything.</summary>
    public static (RunnerSettings? Settings, IReadOnlyList<string> Problems) Read(string[] args, string currentDirectory)
    {
        var problems = new List<string>();
        var overrides = ParseArguments(args, problems);
        var config = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(currentDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides)
            .Build();
        var runner = config.GetSection(Section);

        var api = Required(runner, "Api", "--api", "the Optio service, e.g. http://127.0.0.1:5080", problems);
        var key = Required(runner, "Key", "--key", "an API key of the service (Optio:ApiKeys)", problems);
        var command = Required(runner, "Command", "--command", "the agent command line to run for each task", problems);
        Uri? apiUri = null;
        if (api is not null && !(Uri.TryCreate(api, UriKind.Absolute, out apiUri) && apiUri.Scheme is "http" or "https"))
            problems.Add($"--api must be an absolute http(s) URL; got '{api}'.");
        var concurrency = Number(runner, "Concurrency", "--concurrency", 1, 1, 64, problems);
        var lease = Number(runner, "Lease", "--lease", 300, 3, 86_400, problems);
        var timeout = Duration(runner, "Timeout", "--timeout", TimeSpan.FromMinutes(60), problems);
        var grace = Duration(runner, "Grace", "--grace", TimeSpan.FromSeconds(30), problems);
        var poll = Duration(runner, "Poll", "--poll", TimeSpan.FromSeconds(5), problems);
        var untilEmpty = false;
        if (runner["UntilEmpty"] is { } flag && !bool.TryParse(flag, out untilEmpty)) problems.Add($"--until-empty must be true or false; got '{flag}'.");
        var order = runner["Order"] is { Length: > 0 } o ? o : null;
        var workdir = runner["Workdir"] is { Length: > 0 } w ? Path.GetFullPath(w, currentDirectory) : DefaultWorkdir();
        var id = runner["Id"] is { Length: > 0 } given ? given : $"{Environment.MachineName}-{Environment.ProcessId}";
        if (id.Length > 200) problems.Add("--id must be at most 200 characters.");

        var gitHubApi = DefaultGitHubApi;
        if (config["Optio:GitHub:ApiUrl"] is { Length: > 0 } gh)
        {
            if (Uri.TryCreate(gh, UriKind.Absolute, out var ghUri) && ghUri.Scheme is "http" or "https")
                gitHubApi = new Uri(ghUri.AbsoluteUri.EndsWith('/') ? ghUri.AbsoluteUri : ghUri.AbsoluteUri + "/");
            else problems.Add($"Optio:GitHub:ApiUrl must be an absolute http(s) URL; got '{gh}'.");
        }
        var token = config["GITHUB_TOKEN"] is { Length: > 0 } t ? t : null;

        if (problems.Count > 0) return (null, problems);
        return (new RunnerSettings(apiUri!, key!, command!, concurrency, workdir, order, lease, timeout, grace, poll, id,
            untilEmpty, token, gitHubApi), problems);
    }

    /// <summary>The values every output is masked of.</summary>
    public IEnumerable<string> Secrets => GitHubToken is null ? [Key] : [Key, GitHubToken];

    /// <summary>Environment variables that carry the runner's API key: the agent does not inherit them.</summary>
    public IReadOnlyList<string> SecretVariables =>
        [.. System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.Replace("__", ":", StringComparison.Ordinal).Equals($"{Section}:Key", StringComparison.OrdinalIgnoreCase))];

    static Dictionary<string, string?> ParseArguments(string[] args, List<string> problems)
    {
        var values = new Dictionary<string, string?>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            if (Flags.TryGetValue(name, out var flag))
                values[$"{Section}:{flag}"] = inline ?? "true";
            else if (Switches.TryGetValue(name, out var setting))
            {
                if (inline is null && i + 1 >= args.Length) problems.Add($"{name} needs a value.");
                else values[$"{Section}:{setting}"] = inline ?? args[++i];
            }
            else
            {
                problems.Add($"Unknown argument '{args[i]}'.");
                if (name.StartsWith("--", StringComparison.Ordinal) && inline is null && i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)) i++;
            }
        }
        return values;
    }

    static string? Required(IConfiguration section, string name, string option, string what, List<string> problems)
    {
        if (section[name] is { Length: > 0 } value) return value.Trim();
        problems.Add($"{option} is required: {what} (or {Section}:{name} in appsettings.json, or Optio__Runner__{name}).");
        return null;
    }

    static int Number(IConfiguration section, string name, string option, int fallback, int min, int max, List<string> problems)
    {
        if (section[name] is not { } text) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
        problems.Add($"{option} must be a whole number from {min} to {max}; got '{text}'.");
        return fallback;
    }

    static TimeSpan Duration(IConfiguration section, string name, string option, TimeSpan fallback, List<string> problems)
    {
        if (section[name] is not { } text) return fallback;
        if (TryParseDuration(text, out var value)) return value;
        problems.Add($"{option} must be a duration such as 90, 90s, 15m or 2h (seconds without a unit); got '{text}'.");
        return fallback;
    }

    /// <summary><c>90</c> and <c>90s</c> are seconds, <c>15m</c> minutes, <c>2h</c> hours; <c>00:15:00</c> works too.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        text = text.Trim();
        var unit = text.Length > 0 ? char.ToLowerInvariant(text[^1]) : ' ';
        var scale = unit switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var number = scale == 0 ? text : text[..^1];
        if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            value = TimeSpan.FromSeconds(amount * (scale == 0 ? 1 : scale));
            return true;
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value > TimeSpan.Zero;
    }

    static string DefaultWorkdir()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "optio-runner");
    }

    public const string Usage = """
        optio-runner: claims Optio tasks and runs an agent command line on each.

          --api <url>          the Optio service (Optio:Runner:Api)
          --key <key>          its API key (Optio:Runner:Key)
          --command <line>     the agent, run by the shell in a working copy on branch optio/<taskId>
          --concurrency <n>    tasks at once (1)
          --workdir <dir>      mirrors, working copies and logs (~/.cache/optio-runner)
          --order <order>      claim order asked of the service: oldest or priority (the service's default)
          --lease <seconds>    lease asked for on each claim, renewed every third of it (300)
          --timeout <time>     longest an agent may run: 90s, 15m, 2h (60m)
          --grace <time>       on SIGTERM / Ctrl+C, how long running agents may finish (30s)
          --poll <time>        wait between claims while the queue is empty (5s)
          --id <name>          this runner's name (<host>-<pid>)
          --until-empty        stop once the queue is empty and every task is done

        Every option is also a setting: Optio:Runner:<Name> in appsettings.json, or Optio__Runner__<Name>.
        GitHub: GITHUB_TOKEN pushes branches and opens pull requests; Optio:GitHub:ApiUrl for GitHub Enterprise.
        Exit codes: 0 stopped cleanly, 2 bad configuration (nothing claimed).
        """;
}
