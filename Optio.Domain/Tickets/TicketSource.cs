namespace Optio.Domain.Tickets;

/// <summary>Where a task's ticket comes from, spelled as the API and the stored documents spell it.</summary>
public static class TicketSource
{
    public const string GitHub = "github";
    public const string Linear = "linear";

    /// <summary>A task created through the API, from no ticket.</summary>
    public const string Manual = "manual";
}
