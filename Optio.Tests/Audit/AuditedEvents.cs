using System.Text.Json;
using Alba;

namespace Optio.Tests.Audit;

/// <summary>One event of <c>GET /api/tasks/{id}/events</c>, as an auditor reads it.</summary>
public sealed record AuditedEvent(long Version, string Type, string? Actor, string? Cause);

public static class AuditedEvents
{
    public static async Task<IReadOnlyList<AuditedEvent>> EventsOfAsync(this IAlbaHost host, Guid taskId)
    {
        var json = JsonDocument.Parse(await (await host.Scenario(s => s.Get.Url($"/api/tasks/{taskId}/events"))).ReadAsTextAsync());
        return json.RootElement.EnumerateArray().Select(e => new AuditedEvent(
            e.GetProperty("version").GetInt64(), e.GetProperty("type").GetString()!,
            e.TryGetProperty("actor", out var a) ? a.GetString() : null,
            e.TryGetProperty("cause", out var c) ? c.GetString() : null)).ToList();
    }
}
