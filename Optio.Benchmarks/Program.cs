using Optio.Benchmarks;

// dotnet run -c Release --project Optio.Benchmarks -- [lifecycles] [--n 1000]
// dotnet run -c Release --project Optio.Benchmarks -- sync [--repos 10] [--issues 1000] [--runs 2]
// dotnet run -c Release --project Optio.Benchmarks -- prpoll [--prs 1000]
// dotnet run -c Release --project Optio.Benchmarks -- tasklist [--tasks 100000]
// dotnet run -c Release --project Optio.Benchmarks -- fanout [--events 10000]
int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);
var which = args.FirstOrDefault(a => !a.StartsWith("--") && !int.TryParse(a, out _)) ?? "lifecycles";

await using var bench = await BenchEnvironment.StartAsync();
switch (which)
{
    case "lifecycles":
        await LifecycleBenchmark.RunAsync(bench, Option("--n", 1000));
        break;
    case "sync":
        await SyncBenchmark.RunAsync(bench, Option("--repos", 10), Option("--issues", 1000), Option("--runs", 2));
        break;
    case "prpoll":
        await PrPollBenchmark.RunAsync(bench, Option("--prs", 1000));
        break;
    case "tasklist":
        await TaskListBenchmark.RunAsync(bench, Option("--tasks", 100_000));
        break;
    case "fanout":
        await FanOutBenchmark.RunAsync(bench, Option("--events", 10_000));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: lifecycles, sync, prpoll, tasklist, fanout");
        return 2;
}
return 0;
