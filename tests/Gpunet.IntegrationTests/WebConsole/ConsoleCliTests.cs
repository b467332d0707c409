using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.WebConsole;

/// <summary><c>gpunet login --web</c> and <c>gpunet alerts</c> as a person runs them: the real program against a real
/// coordinator, signed in with a key file.</summary>
public sealed class ConsoleCliTests
{
    [Fact]
    public async Task LoginWeb_PrintsALinkThatSignsInOnce_AsTheKeysWallet()
    {
        await using var c = await TestCoordinator.StartAsync();
        var (home, env, wallet) = await SignedInAsync(c);

        var run = await GpunetProcess.RunAsync(home, env, "login", "--web", "--json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var printed = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(("customer", wallet.Address.Value), (printed.GetProperty("role").GetString(), printed.GetProperty("address").GetString()));
        var link = printed.GetProperty("link").GetString()!;
        Assert.StartsWith(c.ApiUrl.TrimEnd('/') + "/#link=", link, StringComparison.Ordinal);

        var code = link[(link.IndexOf("#link=", StringComparison.Ordinal) + 6)..];
        using (var first = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/console-links/redeem", new { code }))
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var second = await c.Anonymous.PostAsJsonAsync("/api/v1/auth/console-links/redeem", new { code }))
            Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
    }

    [Fact]
    public async Task Alerts_ListedSetAndRemoved_ABadWebhookRefusedSayingWhy()
    {
        await using var c = await TestCoordinator.StartAsync();
        var (home, env, wallet) = await SignedInAsync(c);
        using var api = await c.CustomerAsync(wallet, funds: 0);

        var none = await GpunetProcess.RunAsync(home, env, "alerts", "--json");
        Assert.True(none.ExitCode == 0, none.Stderr);
        Assert.Empty(JsonDocument.Parse(none.Stdout).RootElement.EnumerateArray());

        var http = await GpunetProcess.RunAsync(home, env, "alerts", "--webhook", "http://example.com/hook");
        Assert.NotEqual(0, http.ExitCode);
        Assert.Contains("https URL is required", http.Stderr, StringComparison.Ordinal);
        var both = await GpunetProcess.RunAsync(home, env, "alerts", "--webhook", "https://example.com/hook", "--no-webhook");
        Assert.NotEqual(0, both.ExitCode);
        using (var unset = await api.GetAsync("/api/v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NotFound, unset.StatusCode);

        var set = await GpunetProcess.RunAsync(home, env, "alerts", "--webhook", "https://example.com/hook", "--json");
        Assert.True(set.ExitCode == 0, set.Stderr);
        Assert.Matches("^[0-9a-f]{64}$", JsonDocument.Parse(set.Stdout).RootElement.GetProperty("secret").GetString());
        Assert.Equal("https://example.com/hook", (await api.GetFromJsonAsync<JsonElement>("/api/v1/alerts/webhook")).GetProperty("url").GetString());

        var removed = await GpunetProcess.RunAsync(home, env, "alerts", "--no-webhook");
        Assert.True(removed.ExitCode == 0, removed.Stderr);
        using (var gone = await api.GetAsync("/api/v1/alerts/webhook"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static async Task<(string Home, Dictionary<string, string> Env, Wallet Wallet)> SignedInAsync(TestCoordinator c)
    {
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var wallet = Wallet.Create();
        var key = Path.Combine(home, "me.key");
        await File.WriteAllTextAsync(key, wallet.PrivateKeyHex + "\n");
        return (home, new Dictionary<string, string> { ["GPUNET_COORDINATOR"] = c.ApiUrl, ["GPUNET_KEY"] = key }, wallet);
    }
}
