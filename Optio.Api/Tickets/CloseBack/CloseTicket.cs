using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Optio.Api.Core;
using Optio.Api.Core.Http;
using Optio.Api.Tasks;
using Optio.Domain.Tasks;
using Optio.Domain.Tickets;

namespace Optio.Api.Tickets.CloseBack;

/// <summary>Write a completed task back to its tickets. <see cref="Attempt"/> counts from 1.</summary>
public sealed record CloseTicket(Guid TaskId, int Attempt = 1);

/// <summary>
/// PrMerged reaches this handler from the event store's own subscription, so a crash between
/// "merge stored" and "ticket closed" loses nothing. Each attempt writes back the tickets not yet
/// closed; failures are retried on the durable queue at growing delays, and when the retries are
/// spent the failure is recorded on the task as an event.
/// </summary>
public static class CloseTicketHandler
{
    public static CloseTicket Handle(IEvent<PrMerged> merged) => new(merged.StreamId);

    public static async Task Handle(CloseTicket command, IDocumentStore store, TaskWriter writer, IEnumerable<ITicketCloser> closers,
        IMessageBus bus, IOptions<CloseBackOptions> settings, ILogger<CloseTicket> logger, CancellationToken ct)
    {
        var options = settings.Value;
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

        if (command.Attempt <= options.RetryDelays.Count)
        {
            var delay = options.RetryDelays[command.Attempt - 1];
            logger.LogWarning("Writing back task {Task} failed (attempt {Attempt}): {Error}; retrying in {Delay}",
                task.Id, command.Attempt, failures[0].Error, delay);
            await bus.ScheduleAsync(command with { Attempt = command.Attempt + 1 }, delay);
            return;
        }
        foreach (var (ticket, error) in failures)
            await writer.DecideAsync(task.Id, null, t => t.RecordTicketCloseFailed(ticket, error, command.Attempt), ct);
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
