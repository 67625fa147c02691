using Optio.Api.Core;
using Optio.Api.Core.Http;

namespace Optio.Api.PullRequests;

/// <summary>Polling of tracked pull requests (<c>Optio:PullRequests</c>).</summary>
public sealed class PullRequestsOptions
{
    public const string Section = "Optio:PullRequests";

    /// <summary>How often tracked pull requests are read; zero turns polling off.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    internal static IEnumerable<string> Problems(PullRequestsOptions o, string section) => OptioOptions.NotNegative(section, nameof(PollInterval), o.PollInterval);
}
