using JasperFx.Events;
using Marten;
using Optio.Api.Core.Audit;
using Microsoft.Extensions.Options;
using Wolverine;
using JasperFx;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.CloseBack;

/// <summary>Write a completed task back to its tickets.</summary>
/// <param name="MergedEventId">The <c>pr_merged</c> event that asked for it, recorded as the cause of what close-back appends.</param>
public sealed record CloseTicket(Guid TaskId, string? MergedEventId = null);

/// <summary>
/// PrMerged reaches this handler from the event store's own subscription, so a crash between
/// "merge stored" and "ticket closed" loses nothing. Each attempt writes back the tickets not yet
/// closed; a failed attempt throws and Wolverine retries it on the durable queue after the next of
/// <see cref="CloseBackOptions.RetryDelays"/> (<see cref="CloseBackRetries"/>). The last attempt
/// records the failures on the task as events instead of throwing.
/// </summary>
public static class CloseTicketHandler
{
    public static CloseTicket Handle(IEvent<PrMerged> merged) => new(merged.StreamId, merged.Id.ToString());

    public static async Task Handle(CloseTicket command, Envelope envelope, IDocumentStore store, TaskWriter writer,
        IEnumerable<ITicketCloser> closers, IOptions<CloseBackOptions> settings, CancellationToken ct)
    {
        using var actor = Actors.ActAs(Actor.CloseBack(command.MergedEventId));
        OptioTask? task;
        await using (var query = store.QuerySession())
            task = await query.Events.AggregateStreamAsync<OptioTask>(command.TaskId, token: ct);
        if (task is null) return;

        var failures = new List<(Domain.Tickets.TicketRef Ticket, string Error)>();
        foreach (var ticket in task.AllTickets.Where(t => !task.ClosedTickets.Contains(t.Key.Value)))
        {
            try
            {
                var closer = closers.FirstOrDefault(c => c.Source == ticket.Source)
                    ?? throw new InvalidOperationException($"No way to write back {ticket.Source} tickets.");
                await closer.CloseAsync(ticket, task, ct);
                await writer.DecideAsync(task.Id, null, t => t.RecordTicketClosed(ticket), ct);
                OptioMetrics.TicketsClosed.Add(1, new KeyValuePair<string, object?>("source", ticket.Source));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add((ticket, e.Message));
            }
        }
        if (failures.Count == 0) return;

        // Wolverine counts the attempts (the envelope's, kept in the durable inbox between retries).
        if (envelope.Attempts <= settings.Value.RetryDelays.Count)
            throw new TicketWriteBackFailed(task.Id, envelope.Attempts, failures[0].Error);
        foreach (var (ticket, error) in failures)
            await writer.DecideAsync(task.Id, null, t => t.RecordTicketCloseFailed(ticket, error, envelope.Attempts), ct);
    }
}

/// <summary>An attempt to write a task back left tickets open; Wolverine retries it.</summary>
public sealed class TicketWriteBackFailed(Guid taskId, int attempt, string error)
    : Exception($"Writing back task {taskId} failed (attempt {attempt}): {error}");

/// <summary>
/// Close-back's retry policy: one scheduled retry per configured delay. A policy built from the container rather than
/// the handler's <c>Configure(HandlerChain)</c> because the delays are configuration.
/// </summary>
sealed class CloseBackRetries(IOptions<CloseBackOptions> options) : IWolverineExtension, IHandlerPolicy
{
    public void Configure(WolverineOptions opts) => opts.Policies.Add(this);

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(CloseTicket)))
            chain.OnAnyException().ScheduleRetry([.. options.Value.RetryDelays]);
    }
}

/// <summary>How long to wait before each retry of a failed write-back (<c>Optio:CloseBack:RetryDelays</c>).</summary>
public sealed class CloseBackOptions
{
    public const string Section = "Optio:CloseBack";

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    /// <summary>Bound from configuration (which adds to a list, so it starts empty); <see cref="DefaultRetryDelays"/> when none are configured.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    internal static IEnumerable<string> Problems(CloseBackOptions o, string section) =>
        o.RetryDelays.SelectMany((d, i) => OptioOptions.NotNegative(section, $"RetryDelays:{i}", d));
}
