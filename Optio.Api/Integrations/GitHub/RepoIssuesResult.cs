using Optio.Domain.Tickets;

namespace Optio.Api.Integrations.GitHub;

/// <summary>The open labelled issues of a repository, or word that nothing changed since they were last returned.</summary>
public sealed class RepoIssuesResult
{
    RepoIssuesResult(bool modified, IReadOnlyList<IncomingTicket> tickets)
    {
        Modified = modified;
        Tickets = tickets;
    }

    /// <summary>False when GitHub answered 304: the tickets returned last time still stand, none are repeated.</summary>
    public bool Modified { get; }

    public IReadOnlyList<IncomingTicket> Tickets { get; }

    public static RepoIssuesResult NotModified { get; } = new(false, []);

    public static RepoIssuesResult Changed(IReadOnlyList<IncomingTicket> tickets) => new(true, tickets);
}
