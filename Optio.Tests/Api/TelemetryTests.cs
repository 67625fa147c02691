using System.Diagnostics;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Optio.Tests.Infrastructure;
using Wolverine;

namespace Optio.Tests.Api;

public class TelemetryTests
{
    [Fact]
    public async Task A_request_is_traced_through_aspnetcore_wolverine_marten_and_npgsql()
    {
        var exported = new LockedList<Activity>();
        await using var host = await ApiHost.StartHostAsync(await TestPostgres.NewDatabaseAsync("otel"), TimeProvider.System,
            s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported)));

        await host.CreateTaskAsync("traced");

        // Spans are exported as they end, which can be just after the response is read.
        var spans = await Eventually.Until(() => Task.FromResult(exported.Snapshot()),
            s => s.Any(a => a.Source.Name == "Microsoft.AspNetCore") && s.Any(a => a.Source.Name == "Wolverine"), TimeSpan.FromSeconds(10), "spans");
        var sources = spans.Select(a => a.Source.Name).ToHashSet();
        Assert.Contains("Microsoft.AspNetCore", sources);
        Assert.Contains("Npgsql", sources);
        Assert.Contains("Wolverine", sources);
        Assert.Contains(spans, a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/api/tasks"));
    }
}

/// <summary>The exporter adds from background threads while the test reads.</summary>
sealed class LockedList<T> : System.Collections.ObjectModel.Collection<T>
{
    readonly object _gate = new();
    protected override void InsertItem(int index, T item) { lock (_gate) base.InsertItem(index, item); }
    public List<T> Snapshot() { lock (_gate) return [.. Items]; }
}
