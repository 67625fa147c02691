using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.Tickets.Sync;

/// <summary>Scheduled provider syncs (<c>Optio:Sync</c>).</summary>
public sealed class SyncOptions
{
    public const string Section = "Optio:Sync";

    /// <summary>How often every enabled provider syncs; zero turns the schedule off.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(60);

    internal static IEnumerable<string> Problems(SyncOptions o, string section) => OptioOptions.NotNegative(section, nameof(Interval), o.Interval);
}
