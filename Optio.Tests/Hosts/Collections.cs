namespace Optio.Tests.Hosts;

/// <summary>Task API scenarios: create, read, lifecycle, audit.</summary>
[CollectionDefinition(Name)]
public sealed class TasksCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "tasks api";
}

/// <summary>Runners and tickets racing: claims, leases, imports.</summary>
[CollectionDefinition(Name)]
public sealed class RacesCollection : ICollectionFixture<RacesHost>
{
    public const string Name = "races";
}

public sealed class RacesHost : ApiHost;

/// <summary>Tickets in and out: providers syncing from a loopback GitHub (and Linear), assign, close-back.</summary>
[CollectionDefinition(Name)]
public sealed class TicketsCollection : ICollectionFixture<TicketsHost>
{
    public const string Name = "tickets";
}

/// <summary>The API with a fake GitHub (the host's default GitHub API, its token in the environment) and a fake Linear on loopback.</summary>
public class TicketsHost : ApiHost
{
    public const string WebhookSecret = "It's a Secret to Everybody";
    public const string LinearWebhookSecret = "lin_wh_FakeSigningSecretForOptioTests";

    public Fakes.FakeGitHub GitHub { get; private set; } = null!;
    public Fakes.FakeLinear Linear { get; private set; } = null!;

    protected override async Task<IReadOnlyDictionary<string, string>> BeforeStartAsync()
    {
        GitHub = await Fakes.FakeGitHub.StartAsync();
        Linear = await Fakes.FakeLinear.StartAsync();
        return new Dictionary<string, string>
        {
            ["Optio:GitHub:ApiUrl"] = GitHub.ApiUrl.ToString(),
            ["GITHUB_TOKEN"] = Fakes.FakeGitHub.Token,
            ["GITHUB_WEBHOOK_SECRET"] = WebhookSecret,
            ["LINEAR_WEBHOOK_SECRET"] = LinearWebhookSecret,
            ["Optio:GitHub:Timeout"] = "00:00:02",
        };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await GitHub.DisposeAsync();
        await Linear.DisposeAsync();
    }
}

/// <summary>Out-of-process services that get killed: heavy, so they run on their own.</summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection
{
    public const string Name = "faults";
}

/// <summary>
/// A second node joins this collection's database, so it gets a database (and fakes) of its own, and its nodes run in
/// Wolverine's balanced mode (<see cref="Nodes.ClusterNode"/>), as a scaled-out install does.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NodesCollection : ICollectionFixture<Nodes.NodesHost>
{
    public const string Name = "nodes";
}

/// <summary>Benchmarks smoke-run as processes of their own: no shared host.</summary>
[CollectionDefinition(Name)]
public sealed class BenchmarksCollection
{
    public const string Name = "benchmarks";
}
