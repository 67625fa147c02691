using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Tracking;

namespace Optio.Tests.Infrastructure;

/// <summary>
/// Runs an action under a Wolverine tracked session and returns once every message of the <c>counted</c> types it
/// set off has been handled: the definite point after which a test may assert that something did not happen.
/// Other types are ignored: the host is shared, and another test's retries must not hold this one up.
/// </summary>
public static class MessagesHandled
{
    public static async Task<T> AfterAllHandledAsync<T>(this IHost host, Func<Task<T>> action, Type[] counted, IHost? alsoTrack = null)
    {
        T result = default!;
        var tracking = host.TrackActivity(TimeSpan.FromSeconds(30)).DoNotAssertOnExceptionsDetected()
            .IgnoreMessagesMatchingType(type => !counted.Contains(type));
        if (alsoTrack is not null) tracking = tracking.AlsoTrack(alsoTrack);
        await tracking.ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => result = await action()));
        return result;
    }

    public static Task AfterAllHandledAsync(this IHost host, Func<Task> action, Type[] counted, IHost? alsoTrack = null) =>
        host.AfterAllHandledAsync(async () => { await action(); return true; }, counted, alsoTrack);
}
