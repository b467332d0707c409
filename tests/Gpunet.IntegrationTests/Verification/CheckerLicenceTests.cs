using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Cli;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Verification;

/// <summary>Checker licences through the real API, store and CLI: the operator grants and revokes them, everyone signed in
/// sees them, nobody else changes them, and every decision is in the audit log.</summary>
public sealed class CheckerLicenceTests
{
    [Theory]
    [MemberData(nameof(TestStores.Providers), MemberType = typeof(TestStores))]
    public async Task TheOperator_GrantsRevokesAndGrantsAgain_EachDecisionListedAndAudited(string provider)
    {
        await using var c = await TestCoordinator.StrictAsync(provider);
        var checker = Wallet.Create().Address.Value;

        var granted = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = checker.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal), reason = "runs 3 probes in DE" });
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        var licence = await granted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((checker, "active", "admin"), (licence.GetProperty("address").GetString(), licence.GetProperty("state").GetString(), licence.GetProperty("grantedBy").GetString()));

        // Granting an active licence changes nothing.
        using var again = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = checker });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("runs 3 probes in DE", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());

        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var seen = Assert.Single(await customer.GetFromJsonAsync<List<JsonElement>>("/api/v1/checkers") ?? []);
        Assert.Equal(checker, seen.GetProperty("address").GetString());

        using var revoked = await c.Admin.PostAsJsonAsync($"/api/v1/checkers/{checker}/revoke", new { reason = "passed a honeypot" });
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var after = await revoked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("revoked", "passed a honeypot"), (after.GetProperty("state").GetString(), after.GetProperty("reason").GetString()));
        using var twice = await c.Admin.PostAsJsonAsync($"/api/v1/checkers/{checker}/revoke", new { reason = "again" });
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);

        using var regranted = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = checker });
        Assert.Equal(HttpStatusCode.Created, regranted.StatusCode);
        Assert.Equal("active", Assert.Single(await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/checkers") ?? []).GetProperty("state").GetString());

        // The list answers its limit, oldest grant first.
        var second = Wallet.Create().Address.Value;
        using (var other = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = second }))
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.Equal(2, (await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/checkers") ?? []).Count);
        Assert.Equal(checker, Assert.Single(await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/checkers?limit=1") ?? []).GetProperty("address").GetString());

        var audit = await c.Admin.GetFromJsonAsync<List<JsonElement>>($"/api/v1/audit?subject={checker}") ?? [];
        Assert.Equal(["granted", "revoked", "granted"], audit.Where(e => e.GetProperty("rule").GetString() == "checker-licence")
            .Select(e => e.GetProperty("outcome").GetString()).Reverse());
    }

    [Fact]
    public async Task SomeoneElse_CannotGrantOrRevoke_AndBadInputIsRefusedNamingTheField_NothingChanges()
    {
        await using var c = await TestCoordinator.StartAsync();
        var checker = Wallet.Create().Address.Value;
        using (var ok = await c.Admin.PostAsJsonAsync("/api/v1/checkers", new { address = checker }))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using (var r = await customer.PostAsJsonAsync("/api/v1/checkers", new { address = Wallet.Create().Address.Value }))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await customer.PostAsJsonAsync($"/api/v1/checkers/{checker}/revoke", new { reason = "I do not like it" }))
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        using (var r = await c.Anonymous.GetAsync("/api/v1/checkers"))
            Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);

        foreach (var (path, body, field) in new (string, object, string)[]
        {
            ("/api/v1/checkers", new { address = "0x1234" }, "address"),
            ("/api/v1/checkers", new { reason = "no address" }, "address"),
            ("/api/v1/checkers", new { address = checker, reason = new string('x', 501) }, "reason"),
            ($"/api/v1/checkers/{checker}/revoke", new { }, "reason"),
            ("/api/v1/checkers/not-an-address/revoke", new { reason = "r" }, "address"),
        })
        {
            using var r = await c.Admin.PostAsJsonAsync(path, body);
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            Assert.Equal(field, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        var all = await c.Admin.GetFromJsonAsync<List<JsonElement>>("/api/v1/checkers") ?? [];
        Assert.Equal((checker, "active"), (Assert.Single(all).GetProperty("address").GetString(), all[0].GetProperty("state").GetString()));
    }

    [Fact]
    public async Task Cli_GrantsListsAndRevokes_AsTheOperator_AndRefusesABadAddress()
    {
        await using var c = await TestCoordinator.StartAsync();
        var home = Directory.CreateTempSubdirectory("gpunet-home-").FullName;
        var env = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken, ["GPUNET_COORDINATOR"] = c.ApiUrl };
        var checker = Wallet.Create().Address.Value;

        var grant = await GpunetProcess.RunAsync(home, env, "checkers", "grant", checker, "--reason", "probes in FR", "--json");
        Assert.True(grant.ExitCode == 0, grant.Stderr);
        Assert.Equal("active", JsonDocument.Parse(grant.Stdout).RootElement.GetProperty("state").GetString());
        var list = await GpunetProcess.RunAsync(home, env, "checkers", "--json");
        Assert.Equal(checker, JsonDocument.Parse(list.Stdout).RootElement[0].GetProperty("address").GetString());
        var revoke = await GpunetProcess.RunAsync(home, env, "checkers", "revoke", checker, "--reason", "retired", "--json");
        Assert.Equal("revoked", JsonDocument.Parse(revoke.Stdout).RootElement.GetProperty("state").GetString());

        var bad = await GpunetProcess.RunAsync(home, env, "checkers", "grant", "0xnope");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("ADDRESS:", bad.Stderr, StringComparison.Ordinal);
        var noReason = await GpunetProcess.RunAsync(home, env, "checkers", "revoke", checker);
        Assert.NotEqual(0, noReason.ExitCode);
        Assert.Contains("--reason", noReason.Stderr, StringComparison.Ordinal);
    }
}
