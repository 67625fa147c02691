using Optio.Tests.Fakes;
using Optio.Api.Integrations.Linear;

namespace Optio.Tests.Hosts;

/// <summary>A fresh FakeLinear per test, and the real client pointed at it.</summary>
public abstract class WithFakeLinear : IAsyncLifetime
{
    protected FakeLinear Linear { get; private set; } = null!;
    protected LinearClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Linear = await FakeLinear.StartAsync();
        Client = Linear.Client();
    }

    public async Task DisposeAsync() => await Linear.DisposeAsync();

    protected IEnumerable<FakeLinearRequest> RequestsFor(string rootField) => Linear.Requests.Where(r => r.RootField == rootField);
}
