using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Tracking;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// Runs an action under a Wolverine tracked session and returns once every message it set off on the host has been
/// handled: the definite point after which a test may assert that something did not happen.
/// </summary>
public static class MessagesHandled
{
    public static async Task<T> AfterAllHandledAsync<T>(this IHost host, Func<Task<T>> action, IHost? alsoTrack = null)
    {
        T result = default!;
        var tracking = host.TrackActivity(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected();
        if (alsoTrack is not null) tracking = tracking.AlsoTrack(alsoTrack);
        await tracking.ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => result = await action()));
        return result;
    }

    public static Task AfterAllHandledAsync(this IHost host, Func<Task> action, IHost? alsoTrack = null) =>
        host.AfterAllHandledAsync(async () => { await action(); return true; }, alsoTrack);
}
