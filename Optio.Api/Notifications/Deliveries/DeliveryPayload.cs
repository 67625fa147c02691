using System.Text.Json;
using System.Text.Json.Serialization;
using Optio.Domain.Tasks;

namespace Optio.Api.Notifications.Deliveries;

/// <summary>The JSON body subscribers receive (documented in the README).</summary>
public sealed record DeliveryPayload(string Id, string Event, DateTimeOffset Timestamp, DeliveryTaskData Data)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DeliveryPayload For(Guid deliveryId, string eventType, DateTimeOffset at, OptioTask task, TaskState? previous, long version) =>
        new(deliveryId.ToString(), eventType, at, new DeliveryTaskData(
            task.Id, task.Title, task.RepoUrl, task.State.WireName(), previous?.WireName(), task.PrUrl, CostUsd: null, task.Reason,
            task.Ticket is { } t ? new DeliveryTicket(t.Source, t.ExternalId, t.Identifier, t.Url) : null, version));
}

/// <param name="CostUsd">What the agent's work cost, once runners report it; null until then.</param>
public sealed record DeliveryTaskData(
    Guid TaskId, string Title, string? RepoUrl, string State, string? PreviousState, string? PrUrl, string? CostUsd, string? Reason,
    DeliveryTicket? Ticket, long Version);

public sealed record DeliveryTicket(string Source, string ExternalId, string Identifier, string? Url);
