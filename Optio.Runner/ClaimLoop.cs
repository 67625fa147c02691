namespace Optio.Runner;

/// <summary>
/// Claims tasks while there is a free slot (<c>--concurrency</c>), waits <c>--poll</c> while the queue is empty, and
/// stops claiming when asked to, letting the running tasks end. With <c>--until-empty</c> it ends once a claim finds
/// the queue empty and nothing runs.
/// </summary>
internal sealed class ClaimLoop(RunnerSettings settings, OptioApi api, Func<ClaimedTask, Task> run, TextWriter errors)
{
    /// <returns>0, or 2 when the service refused a claim for a reason only the operator can fix.</returns>
    public async Task<int> RunAsync(CancellationToken stopClaiming)
    {
        var running = new HashSet<Task>();
        var exitCode = 0;
        while (!stopClaiming.IsCancellationRequested)
        {
            running.RemoveWhere(t => t.IsCompleted);
            if (running.Count >= settings.Concurrency)
            {
                await WhenAnyAsync(running, Timeout.InfiniteTimeSpan, stopClaiming);
                continue;
            }
            ClaimedTask? task;
            try
            {
                task = await api.ClaimAsync(stopClaiming);
            }
            catch (ConfigurationRefused e)
            {
                await errors.WriteLineAsync(e.Message);
                exitCode = 2;
                break;
            }
            catch (OperationCanceledException) when (stopClaiming.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                await errors.WriteLineAsync($"claim failed, trying again in {TaskRun.Format(settings.Poll)}: {e.Message}");
                await WhenAnyAsync([], settings.Poll, stopClaiming);
                continue;
            }
            if (task is not null)
            {
                running.Add(run(task));
                continue;
            }
            if (settings.UntilEmpty && running.Count == 0) break;
            // Queue empty: with --until-empty wait for a running task to end (and look again); else poll.
            await WhenAnyAsync(running, settings.UntilEmpty ? Timeout.InfiniteTimeSpan : settings.Poll, stopClaiming);
        }
        await Task.WhenAll(running);
        return exitCode;
    }

    static async Task WhenAnyAsync(IEnumerable<Task> tasks, TimeSpan wait, CancellationToken ct)
    {
        var tcs = new TaskCompletionSource();
        await using var registration = ct.Register(() => tcs.TrySetResult());
        await Task.WhenAny([.. tasks, Task.Delay(wait, CancellationToken.None), tcs.Task]);
    }
}
