using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Tasks;

namespace Optio.Projections.TaskList;

/// <summary>Live aggregation of the write model, for FetchForWriting and time travel.</summary>
public sealed partial class OptioTaskProjection : SingleStreamProjection<OptioTask, Guid>
{
    public override OptioTask? Evolve(OptioTask? snapshot, Guid id, IEvent e) =>
        snapshot is null ? OptioTask.Begin(id, e.Data) : snapshot.When(e.Data);
}
