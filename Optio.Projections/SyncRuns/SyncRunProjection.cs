using JasperFx.Events;
using Marten.Events.Aggregation;
using Optio.Domain.Tickets;

namespace Optio.Projections.SyncRuns;

/// <summary>Projects each sync run stream to its <see cref="SyncRun"/> row.</summary>
public sealed partial class SyncRunProjection : SingleStreamProjection<SyncRun, Guid>
{
    public override SyncRun? Evolve(SyncRun? snapshot, Guid id, IEvent e) => (snapshot, e.Data) switch
    {
        (null, SyncRunStarted s) => SyncRun.Started(id, s),
        ({ } run, SyncRunFinished f) => run.Finished(f),
        _ => snapshot,
    };
}
