using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Compliance;

/// <summary>KYC/KYB through the real API and store: the review queue, sanctions screening, refusals of bad input.</summary>
public sealed class KycApiTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Submit_ThenOfficerApproves_ParticipantIsApprovedAndItIsAudited(string provider)
    {
        await using var c = await TestCoordinator.StrictAsync(provider);
        var wallet = Wallet.Create();
        using var alice = await c.CustomerAsync(wallet, funds: 0);
        Assert.Equal("Unverified", await Kyc.StateAsync(alice));

        var s = await Kyc.SubmitAsync(alice, Kyc.Person());
        Assert.Equal("Pending", s.GetProperty("state").GetString());
        Assert.Equal("Clear", s.GetProperty("screening").GetString());
        Assert.Equal("Pending", await Kyc.StateAsync(alice));

        var queue = await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/kyc/submissions?state=pending");
        Assert.Contains(queue.EnumerateArray(), x => x.GetProperty("id").GetString() == s.GetProperty("id").GetString());

        var id = s.GetProperty("id").GetString()!;
        var approved = await Kyc.DecideAsync(c.Admin, id, approve: true, "passport checked");
        Assert.Equal("Approved", approved.GetProperty("state").GetString());
        Assert.Equal("Approved", await Kyc.StateAsync(alice));

        var trail = await Kyc.AuditAsync(c.Admin, id);
        Assert.Contains(trail, e => e.GetProperty("rule").GetString() == "kyc-submission");
        Assert.Contains(trail, e => e.GetProperty("rule").GetString() == "sanctions-screening" && e.GetProperty("listVersion").GetString()!.StartsWith("sdn-", StringComparison.Ordinal));
        Assert.Contains(trail, e => e.GetProperty("rule").GetString() == "kyc-review" && e.GetProperty("decidedBy").GetString() == "admin");
        Assert.True((await Kyc.VerifyAsync(c.Admin)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task Submit_SettingItsOwnState_IsRefusedRecordedAndChangesNothing()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        var wallet = Wallet.Create();
        using var mallory = await c.CustomerAsync(wallet, funds: 0);

        using var response = await mallory.PostAsJsonAsync("/api/v1/kyc", new
        {
            kind = "person", legalName = "Mallory Example", dateOfBirth = "1980-01-01", country = "DE", documentNumber = "X1234", documentCountry = "DE",
            state = "Approved", role = "officer",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("'state'", body, StringComparison.Ordinal);
        Assert.Contains("'role'", body, StringComparison.Ordinal);

        Assert.Equal("Unverified", await Kyc.StateAsync(mallory));
        Assert.Empty((await c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/kyc/submissions")).EnumerateArray());
        Assert.Contains(await Kyc.AuditAsync(c.Admin, wallet.Address.Value), e => e.GetProperty("rule").GetString() == "mass-assignment");
    }

    [Fact]
    public async Task Submit_MalformedDocument_NamesEveryBadFieldAndStoresNothing()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        using var bob = await c.CustomerAsync(Wallet.Create(), funds: 0);

        using var response = await bob.PostAsJsonAsync("/api/v1/kyc", new
        {
            kind = "person", legalName = "Bob", dateOfBirth = "2090-01-01", country = "XX", documentNumber = "1", documentCountry = "DE",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("country", fields);
        Assert.Contains("dateOfBirth", fields);
        Assert.Contains("documentNumber", fields);
        Assert.Contains("'XX'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("Unverified", await Kyc.StateAsync(bob));
    }

    [Fact]
    public async Task Submit_NameOnTheSanctionsList_IsRejectedForGood()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        using var listed = await c.CustomerAsync(Wallet.Create(), funds: 0);

        var s = await Kyc.SubmitAsync(listed, Kyc.Person(SampleListed.Name, SampleListed.Country, SampleListed.DateOfBirth));
        Assert.Equal("Rejected", s.GetProperty("state").GetString());
        Assert.True(s.GetProperty("final").GetBoolean());
        Assert.Equal("Hit", s.GetProperty("screening").GetString());

        // No retry after a final rejection, and an officer cannot approve it either.
        using var again = await listed.PostAsJsonAsync("/api/v1/kyc", Kyc.Person(SampleListed.Name, SampleListed.Country, SampleListed.DateOfBirth));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var approve = await c.Admin.PostAsJsonAsync($"/api/v1/kyc/submissions/{s.GetProperty("id").GetString()}/approve", new { reason = "looks fine" });
        Assert.Equal(HttpStatusCode.Conflict, approve.StatusCode);
        Assert.Equal("Rejected", await Kyc.StateAsync(listed));
    }

    [Fact]
    public async Task Reject_NotFinal_AllowsAResubmission()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        using var carol = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var first = await Kyc.SubmitAsync(carol, Kyc.Person("Carol Example"));
        var rejected = await Kyc.DecideAsync(c.Admin, first.GetProperty("id").GetString()!, approve: false, "the passport photo is unreadable");
        Assert.Equal("Rejected", rejected.GetProperty("state").GetString());
        Assert.Equal("Rejected", await Kyc.StateAsync(carol));

        var second = await Kyc.SubmitAsync(carol, Kyc.Person("Carol Example"));
        Assert.Equal("Pending", second.GetProperty("state").GetString());
        Assert.NotEqual(first.GetProperty("id").GetString(), second.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Decide_ByAParticipant_IsForbidden_AndAnOfficerWalletMayDecide()
    {
        var officer = Wallet.Create();
        await using var c = await TestCoordinator.StrictAsync("sqlite", o => o.Compliance.ComplianceOfficers = [officer.Address.Value]);
        using var dave = await c.CustomerAsync(Wallet.Create(), funds: 0);
        var s = await Kyc.SubmitAsync(dave, Kyc.Person("Dave Example"));
        var id = s.GetProperty("id").GetString()!;

        using var self = await dave.PostAsJsonAsync($"/api/v1/kyc/submissions/{id}/approve", new { reason = "me" });
        Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
        using var list = await dave.GetAsync("/api/v1/kyc/submissions");
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        Assert.Equal("Pending", await Kyc.StateAsync(dave));

        using var officerClient = await c.CustomerAsync(officer, funds: 0);
        var approved = await Kyc.DecideAsync(officerClient, id, approve: true, "checked");
        Assert.Equal(officer.Address.Value, approved.GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task Order_AndWithdrawal_NeedApprovedKyc()
    {
        await using var c = await TestCoordinator.StrictAsync("sqlite");
        var wallet = Wallet.Create();
        using var erin = await c.CustomerAsync(wallet, funds: 10_000);
        var order = new { gpu = new[] { "L4" }, count = 1, maxPrice = 5m, command = new[] { "sleep", "1" } };

        using (var refused = await erin.PostAsJsonAsync("/api/v1/orders", order))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("kyc-not-approved", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var withdraw = await erin.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "10" }))
            Assert.Equal(HttpStatusCode.Forbidden, withdraw.StatusCode);
        Assert.Empty((await erin.GetFromJsonAsync<JsonElement>("/api/v1/leases")).EnumerateArray());

        await Kyc.ApprovedAsync(c, erin);
        using (var accepted = await erin.PostAsJsonAsync("/api/v1/orders", order))
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using (var withdraw = await erin.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "10" }))
            Assert.True(withdraw.IsSuccessStatusCode, await withdraw.Content.ReadAsStringAsync());
    }
}
