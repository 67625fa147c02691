using Optio.Tests.Fakes;

namespace Optio.Tests.Audit;

/// <summary>Audit scenarios: who did what (actors on every kind of work), sync runs, export and import.</summary>
[CollectionDefinition(Name)]
public sealed class AuditCollection : ICollectionFixture<AuditHost>
{
    public const string Name = "audit";
}

/// <summary>The tickets host (fake GitHub and Linear) with a webhook receiver, and a second, named API key beside the list-form one.</summary>
public sealed class AuditHost : TicketsHost
{
    public const string AuditorKeyName = "auditor";
    public const string AuditorKey = "auditor-key-value-7f3a";

    public WebhookReceiver Receiver { get; private set; } = null!;

    /// <summary>Everything this host was started with: a host on an imported copy of its database uses the same.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; private set; } = new Dictionary<string, string>();

    protected override async Task<IReadOnlyDictionary<string, string>> BeforeStartAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string>(await base.BeforeStartAsync())
        {
            [$"Optio:ApiKeys:{AuditorKeyName}"] = AuditorKey,
        };
        foreach (var (key, value) in WebhooksHost.Settings()) settings[key] = value;
        Settings = settings;
        return settings;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
