namespace Optio.Tests.Infrastructure;

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
