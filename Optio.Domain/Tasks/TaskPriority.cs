namespace Optio.Domain.Tasks;

/// <summary>
/// Priorities on Linear's scale: 1 urgent, 2 high, 3 medium, 4 low, 0 (or none known) no priority. Claims by priority
/// take urgent first and no-priority last, so the scale is not its own sort order: <see cref="ClaimRank"/> is.
/// </summary>
public static class TaskPriority
{
    public const int None = 0;
    public const int Urgent = 1;
    public const int Low = 4;

    /// <summary>The rank a priority claims at: 1–4 as themselves, none after low.</summary>
    public static int ClaimRank(int? priority) => priority is >= Urgent and <= Low ? priority.Value : Low + 1;

    public static bool IsValid(int priority) => priority is >= None and <= Low;

    public const string Scale = "0 (none), 1 (urgent), 2 (high), 3 (medium) or 4 (low)";
}
