using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Tasks;

namespace Optio.Api.Tasks;

/// <summary>Live aggregation of the write model, for reading a task straight from its events (commands fetch its list row).</summary>
public sealed partial class OptioTaskProjection : SingleStreamProjection<OptioTask, Guid>
{
    public OptioTaskProjection()
    {
        foreach (var type in TaskEvents.All) IncludeType(type);
    }

    public override OptioTask? Evolve(OptioTask? snapshot, Guid id, IEvent e) =>
        snapshot is not null ? snapshot.When(e.Data)
        : TaskEvents.StartsATask(e.Data) ? OptioTask.Begin(id, e.Data)
        : null;
}
