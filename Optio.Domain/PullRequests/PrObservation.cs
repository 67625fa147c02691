namespace Optio.Domain.PullRequests;

/// <summary>What a pull request looks like now, as read from GitHub (poll or webhook).</summary>
/// <param name="FailingChecks">Check runs or commit statuses that failed; null when not known (a webhook that does not say).</param>
/// <param name="ChangesRequestedBy">Reviewers whose latest review requests changes; null when not known.</param>
public sealed record PrObservation(
    string PrUrl,
    bool Open,
    bool Merged,
    IReadOnlyList<string>? FailingChecks = null,
    IReadOnlyList<string>? ChangesRequestedBy = null)
{
    /// <summary>Why the PR needs a person, or null when nothing is known to be wrong.</summary>
    public string? Trouble
    {
        get
        {
            var reasons = new List<string>();
            if (FailingChecks is { Count: > 0 } checks) reasons.Add($"CI failing: {string.Join(", ", checks)}");
            if (ChangesRequestedBy is { Count: > 0 } reviewers) reasons.Add($"changes requested by {string.Join(", ", reviewers)}");
            return reasons.Count == 0 ? null : string.Join("; ", reasons);
        }
    }

    /// <summary>Both CI and reviews were read and neither is in the way.</summary>
    public bool KnownHealthy => FailingChecks is { Count: 0 } && ChangesRequestedBy is { Count: 0 };
}
