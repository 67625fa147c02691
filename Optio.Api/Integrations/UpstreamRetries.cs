using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Optio.Api.Integrations;

/// <summary>How a handler that calls GitHub or Linear tries again: 1 s, 10 s, 1 min, 10 min, as Wolverine scheduled retries.</summary>
public static class UpstreamRetries
{
    public static void Apply(HandlerChain chain) =>
        chain.OnAnyException().ScheduleRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
}
