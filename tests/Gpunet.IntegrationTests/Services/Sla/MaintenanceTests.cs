using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gpunet.Contracts.Sla;
using Gpunet.Coordinator.Sla;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.Core.Sla;
using Gpunet.IntegrationTests.Marketplace;
using Gpunet.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Services.Sla;

/// <summary>Maintenance windows on the fake clock: declared by the host's operator with notice, listed, withdrawn before
/// they begin; bad declarations refused naming the field with nothing stored; and the matcher keeping leases that would
/// overlap a window off the host.</summary>
public sealed class MaintenanceTests
{
    private static string Path(string hostId) => $"/api/v1/hosts/{hostId}/maintenance";

    private static object Window(DateTimeOffset from, TimeSpan length, string? reason = null) => new { from, to = from + length, reason };

    private static async Task<MaintenanceWindowView> DeclareAsync(HttpClient http, string hostId, object window)
    {
        using var response = await http.PostAsJsonAsync(Path(hostId), window);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<MaintenanceWindowView>(body, TestCoordinator.Json)!;
    }

    private static async Task<List<MaintenanceWindowView>> ListAsync(HttpClient http, string hostId) =>
        (await http.GetFromJsonAsync<List<MaintenanceWindowView>>(Path(hostId), TestCoordinator.Json))!;

    /// <summary>The status and the problem's <c>field</c> and <c>detail</c>.</summary>
    private static async Task<(HttpStatusCode Status, string? Field, string Detail)> RefusedAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return (response.StatusCode, root.TryGetProperty("field", out var f) ? f.GetString() : null, root.GetProperty("detail").GetString() ?? "");
    }

    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task Declare_ByTheOperator_IsListedAndCanBeWithdrawnBeforeItBegins(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        await using var c = await ServiceCoordinator.StartAsync(dataDir: dir, db: await TestStores.NewStoreAsync(provider, dir));
        await using var host = await c.ReadyHostAsync("maint-declare");
        using var op = await c.CustomerAsync(host.Wallet, funds: 0);
        var now = c.Clock().GetUtcNow();

        var first = await DeclareAsync(op, host.HostId, Window(now.AddHours(25), TimeSpan.FromHours(2), "kernel upgrade"));
        Assert.Equal((host.HostId, now.AddHours(25), now.AddHours(27), "kernel upgrade", host.Wallet.Address.Value, now),
            (first.HostId, first.From, first.To, first.Reason, first.DeclaredBy, first.DeclaredAt));
        Assert.Null(first.CancelledAt);
        var second = await DeclareAsync(c.Admin, host.HostId, Window(now.AddHours(48), TimeSpan.FromHours(1)));
        Assert.Equal("admin", second.DeclaredBy);

        // Anyone signed in reads a host's windows, the latest start first.
        using var someone = await c.CustomerAsync(Wallet.Create(), funds: 0);
        Assert.Equal([second.Id, first.Id], (await ListAsync(someone, host.HostId)).Select(w => w.Id));

        using var cancelled = await op.PostAsync($"{Path(host.HostId)}/{first.Id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(now, (await cancelled.Content.ReadFromJsonAsync<MaintenanceWindowView>(TestCoordinator.Json))!.CancelledAt);
        Assert.Equal(now, (await ListAsync(op, host.HostId)).Single(w => w.Id == first.Id).CancelledAt);
        using var again = await op.PostAsync($"{Path(host.HostId)}/{first.Id}/cancel", null);
        var (status, _, detail) = await RefusedAsync(again);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already withdrawn", detail, StringComparison.Ordinal);

        // The withdrawn window's time is free again.
        await DeclareAsync(op, host.HostId, Window(now.AddHours(26), TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Declare_BadWindow_RefusedNamingTheField_AndNothingStored()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("maint-bad");
        using var op = await c.CustomerAsync(host.Wallet, funds: 0);
        var now = c.Clock().GetUtcNow();
        var standing = await DeclareAsync(op, host.HostId, Window(now.AddHours(30), TimeSpan.FromHours(4)));

        (object Body, string Field, string Says)[] cases =
        [
            (Window(now.AddHours(-1), TimeSpan.FromHours(2)), "from", "in the past"),
            (Window(now.AddHours(23), TimeSpan.FromHours(2)), "from", "notice"),
            (Window(now.AddHours(40), TimeSpan.FromHours(13)), "to", "at most 12 h"),
            (new { from = now.AddHours(40), to = now.AddHours(39) }, "to", "not after from"),
            (new { to = now.AddHours(40) }, "from", "required"),
            (Window(now.AddHours(33), TimeSpan.FromHours(2)), "from", $"overlaps the host's window {standing.Id}"),
            (new { from = "next tuesday", to = now.AddHours(40) }, "from", ""),
            // The document's bounds hold: a date-time of 43 characters, a reason of 501.
            (new { from = Longest(now.AddHours(40)).Insert(36, "0"), to = now.AddHours(41) }, "from", ""), // 17 fraction digits
            (Window(now.AddHours(40), TimeSpan.FromHours(1), new string('r', MaintenancePolicy.MaxReasonLength + 1)), "reason", ""),
        ];
        foreach (var (body, field, says) in cases)
        {
            using var response = await op.PostAsJsonAsync(Path(host.HostId), body);
            var (status, named, detail) = await RefusedAsync(response);
            Assert.True(status == HttpStatusCode.BadRequest && named == field && detail.Contains(says, StringComparison.Ordinal),
                $"{JsonSerializer.Serialize(body)}: {(int)status} {named}: {detail}");
        }

        Assert.Equal([standing.Id], (await ListAsync(op, host.HostId)).Select(w => w.Id));

        // The longest date-time the document allows (42 characters) is read.
        var longest = await DeclareAsync(op, host.HostId, new { from = Longest(now.AddHours(40)), to = now.AddHours(41) });
        Assert.Equal(now.AddHours(40), longest.From);
    }

    // 2026-01-01T10:00:00.0000000000000000+00:00: 16 fraction digits, the most System.Text.Json reads (42 characters).
    private static string Longest(DateTimeOffset at)
    {
        var text = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + "." + at.UtcDateTime.ToString("fffffff", System.Globalization.CultureInfo.InvariantCulture) + "000000000+00:00";
        Assert.Equal(42, text.Length);
        return text;
    }

    [Fact]
    public async Task Declare_HostOffline_RefusedAsAnOutageUnderWay()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        // A second, healthy host keeps the network from looking like a mass silence.
        await using var witness = await c.ReadyHostAsync("maint-witness", country: "FR");
        var host = await c.ReadyHostAsync("maint-offline");
        using var op = await c.CustomerAsync(host.Wallet, funds: 0);
        await host.DisposeAsync();
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(11));
        var offline = (await c.HostAsync(host.HostId))!;
        Assert.Equal("Offline", offline.State);

        using var response = await op.PostAsJsonAsync(Path(host.HostId), Window(c.Clock().GetUtcNow().AddHours(25), TimeSpan.FromHours(1)));
        var (status, field, detail) = await RefusedAsync(response);
        Assert.Equal((HttpStatusCode.BadRequest, "from"), (status, field));
        Assert.StartsWith("from: the host is Offline since ", detail, StringComparison.Ordinal);
        Assert.Contains("cannot declare its way out of an outage already under way", detail, StringComparison.Ordinal);
        Assert.Empty(await ListAsync(op, host.HostId));
    }

    [Fact]
    public async Task SomeoneElsesHost_AnswersAsAnUnknownHost_BeforeReadingTheBody_AndChangesNothing()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("maint-theirs");
        using var op = await c.CustomerAsync(host.Wallet, funds: 0);
        using var other = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var now = c.Clock().GetUtcNow();
        var window = await DeclareAsync(op, host.HostId, Window(now.AddHours(25), TimeSpan.FromHours(1)));

        using var declared = await other.PostAsJsonAsync(Path(host.HostId), Window(now.AddHours(40), TimeSpan.FromHours(1)));
        using var unknown = await other.PostAsJsonAsync(Path("host-000000000000"), Window(now.AddHours(40), TimeSpan.FromHours(1)));
        // Not JSON at all: still the unknown host's answer, so the body was never read.
        using var garbage = await other.PostAsync(Path(host.HostId), new StringContent("{not json", Encoding.UTF8, "application/json"));
        using var cancelled = await other.PostAsync($"{Path(host.HostId)}/{window.Id}/cancel", null);
        var answers = new[] { await RefusedAsync(declared), await RefusedAsync(garbage), await RefusedAsync(cancelled) };
        var (status, _, detail) = await RefusedAsync(unknown);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.All(answers, a => Assert.Equal((HttpStatusCode.NotFound, detail.Replace("host-000000000000", host.HostId, StringComparison.Ordinal)), (a.Status, a.Detail)));

        var listed = Assert.Single(await ListAsync(op, host.HostId));
        Assert.Null(listed.CancelledAt);
        using var missing = await op.PostAsync($"{Path(host.HostId)}/{window.Id + 1}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AWindowBegun_CannotBeWithdrawn()
    {
        await using var c = await ServiceCoordinator.StartAsync(o => o.Sla.MaintenanceNotice = TimeSpan.FromSeconds(5));
        await using var host = await c.ReadyHostAsync("maint-begun");
        using var op = await c.CustomerAsync(host.Wallet, funds: 0);
        var window = await DeclareAsync(op, host.HostId, Window(c.Clock().GetUtcNow().AddSeconds(5), TimeSpan.FromHours(1)));
        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(5));

        using var response = await op.PostAsync($"{Path(host.HostId)}/{window.Id}/cancel", null);
        var (status, _, detail) = await RefusedAsync(response);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("cannot be withdrawn", detail, StringComparison.Ordinal);
        Assert.Null(Assert.Single(await ListAsync(op, host.HostId)).CancelledAt);
    }

    [Fact]
    public async Task AReserveOrderOverlappingAWindow_IsPlacedOnAnotherHost_OrWaitsNamingTheWindowWhenPinned()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var busy = await c.ReadyHostAsync("maint-busy");
        using var op = await c.CustomerAsync(busy.Wallet, funds: 0);
        var now = c.Clock().GetUtcNow();
        await DeclareAsync(op, busy.HostId, Window(now.AddHours(25), TimeSpan.FromHours(2)));

        await using var free = await c.ReadyHostAsync("maint-free");

        // Both hosts are idle: a 30-hour term would run into the window on one of them, so it goes to the other.
        using var customer = await c.CustomerAsync(Wallet.Create());
        var anywhere = await customer.RentAsync(Reserve(30, host: null));
        Assert.True(anywhere.Placed(), anywhere.StateReason);
        Assert.Equal(free.HostId, anywhere.Leases[0].HostId);

        // Pinned to the host with the window, it waits and says why; a term that ends before the window is placed there.
        var pinned = await customer.RentAsync(Reserve(30, busy.HostId));
        Assert.False(pinned.Placed());
        Assert.Contains($"maintenance from {MaintenanceRules.Time(now.AddHours(25))}", pinned.StateReason, StringComparison.Ordinal);
        var shorter = await customer.RentAsync(Reserve(2, busy.HostId));
        Assert.True(shorter.Placed(), shorter.StateReason);
    }

    private static object Reserve(double hours, string? host) =>
        new { gpu = new[] { "H100" }, maxPrice = 3, type = "reserve", hours, command = new[] { "sleep", "60" }, host };

    [Fact]
    public async Task AWindowDeclaredThroughAnotherCoordinator_KeepsLeasesOffAfterTheNextRefresh()
    {
        await using var c = await ServiceCoordinator.StartAsync();
        await using var host = await c.ReadyHostAsync("maint-foreign");
        var now = c.Clock().GetUtcNow();
        // Stored as another coordinator of the same store would store it: this one's matcher has not heard of it.
        await c.App.Services.GetRequiredService<MaintenanceStore>().AddAsync(new MaintenanceWindowRecord
        {
            HostId = host.HostId, From = now.AddHours(25), To = now.AddHours(26), DeclaredBy = host.Wallet.Address.Value, DeclaredAt = now,
        }, CancellationToken.None);
        var rule = c.App.Services.GetRequiredService<MaintenanceRule>();
        Assert.Empty(rule.Of(host.HostId));

        await c.Clock().AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Single(rule.Of(host.HostId));
        using var customer = await c.CustomerAsync(Wallet.Create());
        var pinned = await customer.RentAsync(Reserve(30, host.HostId));
        Assert.False(pinned.Placed());
        Assert.Contains("maintenance from ", pinned.StateReason, StringComparison.Ordinal);
    }
}
