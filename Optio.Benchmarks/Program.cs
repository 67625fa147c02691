using Optio.Benchmarks;

// dotnet run -c Release --project Optio.Benchmarks -- <benchmark> [--option value ...]; `--help` lists them.
var benchmarks = new Dictionary<string, (Dictionary<string, int> Options, Func<BenchEnvironment, Dictionary<string, int>, Task> Run)>
{
    ["lifecycles"] = (new() { ["--n"] = 1000 }, (b, o) => LifecycleBenchmark.RunAsync(b, o["--n"])),
    ["sync"] = (new() { ["--repos"] = 10, ["--issues"] = 1000, ["--runs"] = 2 },
        (b, o) => SyncBenchmark.RunAsync(b, o["--repos"], o["--issues"], o["--runs"])),
    ["prpoll"] = (new() { ["--prs"] = 1000 }, (b, o) => PrPollBenchmark.RunAsync(b, o["--prs"])),
    ["tasklist"] = (new() { ["--tasks"] = 100_000, ["--seconds"] = 10 }, (b, o) => TaskListBenchmark.RunAsync(b, o["--tasks"], o["--seconds"])),
    ["fanout"] = (new() { ["--events"] = 10_000 }, (b, o) => FanOutBenchmark.RunAsync(b, o["--events"])),
    ["crash"] = (new() { ["--runs"] = 3 }, (b, o) => CrashResumeBenchmark.RunAsync(b, o["--runs"])),
    ["archive"] = (new() { ["--events"] = 100_000 }, (b, o) => ArchiveBenchmark.RunAsync(b, o["--events"])),
    ["trickle"] = (new() { ["--rate"] = 100, ["--seconds"] = 60 }, (b, o) => TrickleBenchmark.RunAsync(b, o["--rate"], o["--seconds"])),
};

var usage = "Usage: dotnet run -c Release --project Optio.Benchmarks -- <benchmark> [options]\n" + string.Join("\n",
    benchmarks.Select(b => $"  {b.Key,-11} {string.Join(" ", b.Value.Options.Select(o => $"[{o.Key} {o.Value}]"))}"));

if (args is ["--help" or "-h" or "help"])
{
    Console.WriteLine(usage);
    return 0;
}
var name = args.Length == 0 ? "lifecycles" : args[0];
if (!benchmarks.TryGetValue(name, out var benchmark))
    return Refuse($"Unknown benchmark '{name}'.");
var options = new Dictionary<string, int>(benchmark.Options);
for (var i = 1; i < args.Length; i += 2)
{
    if (!options.ContainsKey(args[i])) return Refuse($"Unknown option '{args[i]}' for {name}.");
    if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var value) || value < 1)
        return Refuse($"{args[i]} needs a positive whole number.");
    options[args[i]] = value;
}

await using var bench = await BenchEnvironment.StartAsync();
await benchmark.Run(bench, options);
return 0;

int Refuse(string why)
{
    Console.Error.WriteLine(why);
    Console.Error.WriteLine(usage);
    return 2;
}
