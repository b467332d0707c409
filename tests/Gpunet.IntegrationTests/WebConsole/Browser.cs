using Gpunet.Coordinator;
using Gpunet.IntegrationTests.Support;
using Microsoft.Playwright;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary>Headless Chromium from Debian's package (.ci/run installs it), driven by Playwright; no browser is
/// downloaded. Screenshots go to <c>artifacts/console/</c> at the repository's root.</summary>
internal sealed class Browser : IAsyncDisposable
{
    /// <summary>Where Debian's package puts it; <c>GPUNET_TEST_CHROMIUM</c> names another.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("GPUNET_TEST_CHROMIUM") ?? "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    /// <summary>Coordinator settings for a test that keeps a host Ready while a browser runs: Chromium shares the
    /// machine's two cores with the coordinator and its agents, and a rendering burst can hold a 200 ms heartbeat back
    /// for over a second; here a host is Suspect (and off the market) only after 5 s unheard, not 1 s.</summary>
    public static readonly Action<CoordinatorOptions> SteadyHosts = TestCoordinator.Unhurried(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));

    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new InvalidOperationException($"no Chromium at {ExecutablePath}: install Debian's chromium package (.ci/run does), or set GPUNET_TEST_CHROMIUM");
        var playwright = await Playwright.CreateAsync();
        // A loaded CI machine: what the page shows may take seconds to appear.
        Assertions.SetDefaultExpectTimeout(30_000);
        // The flags keep Chromium off the network it would otherwise try (updates, sync, Google's hosts): this
        // machine's network is closed, and a test must not depend on it.
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new Browser(playwright, chromium);
    }

    /// <summary>A new browser session (its own storage: one signed-in user) with one page.</summary>
    public async Task<IPage> PageAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Keeps a screenshot of <paramref name="page"/> as a test artifact.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(Api.OpenApiClientFactAttribute.RepositoryRoot, "artifacts", "console");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
