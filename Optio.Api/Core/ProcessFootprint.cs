using System.Runtime;

namespace Optio.Api.Core;

/// <summary>
/// Gives back to the system what a burst of bulk work (a first sync of thousands of tickets) left in the heap. The
/// server GC keeps a heap that grew during a burst, and the pages of a whole repository's issues (Octokit reads each
/// as one large string) fragment the large-object heap; one aggressive, compacting collection once the burst is over
/// returned about 75 MiB after a 10,000-ticket sync (README, Benchmarks → Service memory). It pauses the process
/// for tens of milliseconds, so it runs only after bursts of at least <see cref="BurstSize"/> changes.
/// </summary>
public static class ProcessFootprint
{
    public const int BurstSize = 1000;

    public static void ReleaseAfterBurst()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
