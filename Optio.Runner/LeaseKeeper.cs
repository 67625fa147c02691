using Optio.Runner.Agent;

namespace Optio.Runner;

/// <summary>
/// Keeps a claimed task's lease alive with a heartbeat every third of the lease. The lease is lost when the service
/// refuses a heartbeat (the task moved on: cancelled, expired, claimed by another runner), or when no heartbeat has
/// got through for a whole lease; <see cref="Lost"/> then fires.
/// </summary>
internal sealed class LeaseKeeper : IAsyncDisposable
{
    readonly CancellationTokenSource lost = new();
    readonly CancellationTokenSource done = new();
    readonly Task loop;

    public LeaseKeeper(OptioApi api, Guid taskId, TimeSpan lease, TaskLog log) =>
        loop = Task.Run(() => KeepAsync(api, taskId, lease, log));

    public CancellationToken Lost => lost.Token;
    public bool IsLost => lost.IsCancellationRequested;
    public string? Why { get; private set; }

    async Task KeepAsync(OptioApi api, Guid taskId, TimeSpan lease, TaskLog log)
    {
        var lastRenewed = DateTimeOffset.UtcNow;
        try
        {
            while (true)
            {
                await Task.Delay(lease / 3, done.Token);
                ApiAnswer answer;
                try
                {
                    answer = await api.HeartbeatAsync(taskId, done.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    answer = new ApiAnswer(false, 0, e.Message); // a torn answer is a missed heartbeat, not a lost lease
                }
                if (answer.Ok) lastRenewed = DateTimeOffset.UtcNow;
                else if (answer.Refused) Lose($"the service refused the heartbeat ({answer.Status}): {answer.Detail}", log);
                else if (DateTimeOffset.UtcNow - lastRenewed >= lease) Lose($"no heartbeat got through for {lease.TotalSeconds:0} s: {answer.Detail}", log);
                else log.Runner($"heartbeat failed, will retry: {answer.Detail}");
                if (IsLost) return;
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested) { }
    }

    void Lose(string why, TaskLog log)
    {
        Why = why;
        log.Runner($"lease lost: {why}");
        lost.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await done.CancelAsync();
        await loop;
        lost.Dispose();
        done.Dispose();
    }
}
