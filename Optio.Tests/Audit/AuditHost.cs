namespace Optio.Tests.Audit;

/// <summary>Audit scenarios: who did what (actors on every kind of work), sync runs, export and import.</summary>
[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditHost>
{
    public const string Name = "audit";
}

/// <summary>The tickets host (fake GitHub and Linear) with a second, named API key beside the list-form one.</summary>
public sealed class AuditHost : TicketsHost
{
    public const string AuditorKeyName = "auditor";
    public const string AuditorKey = "auditor-key-value-7f3a";

    protected override async Task<IReadOnlyDictionary<string, string>> BeforeStartAsync()
    {
        var settings = new Dictionary<string, string>(await base.BeforeStartAsync())
        {
            [$"Optio:ApiKeys:{AuditorKeyName}"] = AuditorKey,
        };
        return settings;
    }
}
