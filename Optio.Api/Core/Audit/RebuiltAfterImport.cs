using Marten;

namespace Optio.Api.Core.Audit;

/// <summary>
/// Documents a module writes beside the events (not a projection) that an import makes again from the imported events:
/// each module registers its own, so the import knows none of them.
/// </summary>
public interface IRebuiltAfterImport
{
    /// <summary>Shown while the import runs, e.g. "ticket index".</summary>
    string Name { get; }

    /// <summary>Writes the documents from the events now stored; returns how many.</summary>
    Task<long> RebuildAsync(IDocumentStore store, CancellationToken ct);
}
