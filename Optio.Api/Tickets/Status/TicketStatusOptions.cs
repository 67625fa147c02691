using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;
using JasperFx.CodeGeneration;
using Wolverine.Configuration;
using Optio.Api.Core;

namespace Optio.Api.Tickets.Status;

/// <summary>How often a failed status publish is tried again (<c>Optio:TicketStatus:RetryDelays</c>).</summary>
public sealed class TicketStatusOptions
{
    public const string Section = "Optio:TicketStatus";

    public static readonly IReadOnlyList<TimeSpan> DefaultRetryDelays =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10)];

    /// <summary>Bound from configuration (which adds to a list, so it starts empty); <see cref="DefaultRetryDelays"/> when none are configured.</summary>
    public List<TimeSpan> RetryDelays { get; set; } = [];

    internal static IEnumerable<string> Problems(TicketStatusOptions o, string section) =>
        o.RetryDelays.SelectMany((d, i) => OptioOptions.NotNegative(section, $"RetryDelays:{i}", d));
}

/// <summary>One scheduled retry per configured delay; from the container, because the delays are configuration.</summary>
sealed class TicketStatusRetries(IOptions<TicketStatusOptions> options) : IWolverineExtension, IHandlerPolicy
{
    public void Configure(WolverineOptions opts) => opts.Policies.Add(this);

    public void Apply(IReadOnlyList<HandlerChain> chains, GenerationRules rules, JasperFx.IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.MessageType == typeof(PublishTicketStatus)))
            chain.OnAnyException().ScheduleRetry([.. options.Value.RetryDelays]);
    }
}
