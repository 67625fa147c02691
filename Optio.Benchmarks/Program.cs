using Optio.Benchmarks;

// dotnet run -c Release --project Optio.Benchmarks -- [lifecycles] [--n 1000]
var n = args.SkipWhile(a => a != "--n").Skip(1).Select(int.Parse).FirstOrDefault(1000);
var which = args.FirstOrDefault(a => !a.StartsWith("--") && !int.TryParse(a, out _)) ?? "lifecycles";

await using var bench = await BenchEnvironment.StartAsync();
switch (which)
{
    case "lifecycles":
        await LifecycleBenchmark.RunAsync(bench, n);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{which}'. Known: lifecycles");
        return 2;
}
return 0;
