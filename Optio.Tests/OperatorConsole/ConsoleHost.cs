using Microsoft.Playwright;
using Optio.Tests.Fakes;
using Optio.Tests.Hosts;
using Optio.Tests.Infrastructure;

namespace Optio.Tests.OperatorConsole;

/// <summary>The operator console in a real browser: one service and one Chromium for the whole collection.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}

/// <summary>
/// The real Optio host on Kestrel at a loopback port (the browser needs a socket, the live stream a real WebSocket),
/// over a database of its own, with the loopback GitHub fake as its GitHub (and a Linear fake); and Debian's Chromium driven by Playwright,
/// its profile and downloads under this test run's directory.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    KestrelService service = null!;
    IPlaywright playwright = null!;
    string profile = "";

    public FakeGitHub GitHub { get; private set; } = null!;
    public FakeLinear Linear { get; private set; } = null!;
    /// <summary>A webhook subscriber (and Slack) on loopback, which this host may call.</summary>
    public WebhookReceiver Receiver { get; private set; } = null!;
    public Uri BaseUrl => service.BaseUrl;
    /// <summary>The API as a runner or a script sees it, with the key.</summary>
    public HttpClient Http => service.Http;
    public IBrowserContext Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        GitHub = await FakeGitHub.StartAsync();
        Linear = await FakeLinear.StartAsync();
        Receiver = await WebhookReceiver.StartAsync();
        service = await KestrelService.StartAsync("optio_console", new Dictionary<string, string>
        {
            ["Optio:GitHub:ApiUrl"] = GitHub.ApiUrl.ToString(),
            ["GITHUB_TOKEN"] = FakeGitHub.Token,
            ["Optio:LiveEvents:PollInterval"] = "00:00:00.050",
            ["Optio:LiveEvents:CloseGrace"] = "00:00:01",
            ["Optio:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8",
        });

        // Short: Chromium puts its singleton socket under TMPDIR, and a socket path has at most 107 bytes.
        profile = Path.Combine(TestRun.Directory, "chromium");
        Directory.CreateDirectory(profile);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchPersistentContextAsync(Path.Combine(profile, "user-data"), new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            DownloadsPath = Path.Combine(profile, "downloads"),
            Env = new Dictionary<string, string> { ["TMPDIR"] = profile, ["HOME"] = profile },
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            BaseURL = BaseUrl.ToString(),
        });
        Browser.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        // The first request of each route compiles its handler (seconds on a busy machine): pay that before any page waits on it.
        foreach (var route in new[] { "/api/tasks", "/api/tasks/stats", "/api/webhooks/deliveries/stats", "/api/tickets/providers", "/api/repos", "/api/webhooks" })
            (await Http.GetAsync(route)).EnsureSuccessStatusCode();
    }

    /// <summary>A new tab, recording every console error, page error and CSP violation it meets.</summary>
    public async Task<ConsolePage> OpenAsync()
    {
        var page = await Browser.NewPageAsync();
        return new ConsolePage(page);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (service is not null) await service.DisposeAsync();
        if (GitHub is not null) await GitHub.DisposeAsync();
        if (Linear is not null) await Linear.DisposeAsync();
        if (Receiver is not null) await Receiver.DisposeAsync();
        if (profile != "" && Directory.Exists(profile)) Directory.Delete(profile, recursive: true);
    }
}

/// <summary>A browser tab on the console, with what went wrong in it.</summary>
public sealed class ConsolePage
{
    readonly List<string> problems = [];

    public IPage Page { get; }
    public IReadOnlyList<string> Problems { get { lock (problems) return [.. problems]; } }
    public List<string> Dialogs { get; } = [];

    public ConsolePage(IPage page)
    {
        Page = page;
        page.Console += (_, message) => { if (message.Type == "error") lock (problems) problems.Add($"console: {message.Text}"); };
        page.PageError += (_, error) => { lock (problems) problems.Add($"page error: {error}"); };
        page.Dialog += async (_, dialog) =>
        {
            lock (Dialogs) Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
    }

    public async Task SignInAsync(string key = ApiHost.ApiKey)
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("API key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens a section by its navigation link, as a person would, and waits for its heading.</summary>
    public async Task GoToAsync(string link, string heading)
    {
        await Page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" }).GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await Assertions.Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
    }

    public void ShouldHaveNoProblems() => Assert.True(Problems.Count == 0, $"The page met problems: {string.Join(" | ", Problems)}");
}
