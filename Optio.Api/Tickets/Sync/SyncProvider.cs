namespace Optio.Api.Tickets.Sync;

/// <summary>Sync one provider now. <see cref="Trigger"/> says why (schedule, request, provider saved, GitHub webhook).</summary>
public sealed record SyncProvider(Guid ProviderId, string Trigger);

public static class SyncProviderHandler
{
    public static Task Handle(SyncProvider command, ProviderSync sync, CancellationToken ct) =>
        sync.RunAsync(command.ProviderId, command.Trigger, ct);
}
