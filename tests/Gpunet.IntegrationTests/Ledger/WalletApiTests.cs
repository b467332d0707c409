using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Gpunet.Coordinator;
using Gpunet.Coordinator.Storage;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>The wallet REST API and the ledger behind it, through real HTTP on loopback, over both stores.</summary>
public sealed class WalletApiTests
{
    public static TheoryData<string> Providers => TestStores.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Verify_FreshStore_IsBalancedWithTheWholeSupply(string provider)
    {
        await using var c = await StartAsync(provider);

        var audit = await VerifyAsync(c.Admin);
        Assert.Equal("42000000000", audit.GetProperty("totalSupply").GetString());
        Assert.Equal("42000000000", audit.GetProperty("sumOfBalances").GetString());
        Assert.Empty(audit.GetProperty("problems").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Deposit_ByTheOperator_CreditsTheCustomer_AndShowsInTheirHistory(string provider)
    {
        await using var c = await StartAsync(provider);
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet, funds: 0);

        var done = await OkAsync(c.Admin, "deposit", new { amount = "100", to = wallet.Address.Value });
        Assert.Equal("deposit", done.GetProperty("code").GetString());
        Assert.False(done.GetProperty("replayed").GetBoolean());

        Assert.Equal("100", (await BalanceAsync(customer)).GetProperty("available").GetString());
        var history = await HistoryAsync(customer);
        var entry = Assert.Single(history);
        Assert.Equal("deposit", entry.GetProperty("code").GetString());
        Assert.Equal("in", entry.GetProperty("direction").GetString());
        Assert.Equal("100", entry.GetProperty("amount").GetString());
        Assert.Equal("network:genesis", entry.GetProperty("from").GetString());
        // The operator sees the same wallet by naming it.
        Assert.Equal("100", (await BalanceAsync(c.Admin, wallet.Address.Value)).GetProperty("available").GetString());
        await VerifyAsync(c.Admin);
    }

    [Fact]
    public async Task Deposit_ByACustomerWithoutAFaucet_IsRefusedAndMovesNothing()
    {
        await using var c = await TestCoordinator.StartAsync();
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet, funds: 0);

        await RefusedAsync(customer, "deposit", new { amount = "100" }, HttpStatusCode.BadRequest, "amount");
        await RefusedAsync(customer, "deposit", new { amount = "100", to = wallet.Address.Value }, HttpStatusCode.BadRequest, "amount");

        Assert.Equal("0", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Empty(await HistoryAsync(customer));
    }

    [Fact]
    public async Task Wallet_OfAnotherCustomer_IsNotFound_AndTheOperatorMustNameTheRecipient()
    {
        await using var c = await TestCoordinator.StartAsync();
        var alice = Wallet.Create();
        var bob = Wallet.Create();
        using var a = await c.CustomerAsync(alice, funds: 0);
        await OkAsync(c.Admin, "deposit", new { amount = "100", to = bob.Address.Value });

        using (var peek = await a.GetAsync("/api/v1/wallet?address=" + bob.Address.Value))
            Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        using (var peek = await a.GetAsync("/api/v1/wallet/history?address=" + bob.Address.Value))
            Assert.Equal(HttpStatusCode.NotFound, peek.StatusCode);
        await RefusedAsync(c.Admin, "deposit", new { amount = "5" }, HttpStatusCode.BadRequest, "to");
        await RefusedAsync(c.Admin, "deposit", new { amount = "5", to = "0x1234" }, HttpStatusCode.BadRequest, "to");
        await RefusedAsync(c.Admin, "withdraw", new { amount = "5" }, HttpStatusCode.BadRequest, "address");

        Assert.Equal("100", (await BalanceAsync(c.Admin, bob.Address.Value)).GetProperty("available").GetString());
        Assert.Single(await HistoryAsync(c.Admin, bob.Address.Value));
        Assert.Empty(await HistoryAsync(a));
        await VerifyAsync(c.Admin);
    }

    [Fact]
    public async Task Withdraw_WithoutKyc_IsForbiddenAndMovesNothing()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = false);
        using var customer = await FundedCustomerAsync(c, "100");

        using var response = await customer.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "30" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("KYC", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal("100", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Single(await HistoryAsync(customer));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Withdraw_WithKycApproved_ReturnsTheMoneyToGenesis(string provider)
    {
        await using var c = await StartAsync(provider, o => o.Compliance.ApproveAllKyc = true);
        using var customer = await FundedCustomerAsync(c, "100");

        var done = await OkAsync(customer, "withdraw", new { amount = "30" });
        Assert.Equal("network:genesis", done.GetProperty("to").GetString());

        Assert.Equal("70", (await BalanceAsync(customer)).GetProperty("available").GetString());
        var newest = (await HistoryAsync(customer))[0];
        Assert.Equal("withdrawal", newest.GetProperty("code").GetString());
        Assert.Equal("out", newest.GetProperty("direction").GetString());
        Assert.Equal("network:genesis", newest.GetProperty("to").GetString());
        var audit = await VerifyAsync(c.Admin);
        Assert.Equal("42000000000", audit.GetProperty("sumOfBalances").GetString());
    }

    public static TheoryData<string, string> BadTransfers => new()
    {
        { """{"amount":"0"}""", "amount" },
        { """{"amount":"-5"}""", "amount" },
        { """{"amount":"abc"}""", "amount" },
        { """{"amount":"1.123456789"}""", "amount" },
        { """{}""", "amount" },
        { """{"amount":"5","id":"xyz"}""", "id" },
        { """{"amount":"5","id":"0123456789abcdef0123456789abcdef00"}""", "id" },
        { """{"amount":"5","id":"00000000000000000000000000000000"}""", "id" },
    };

    [Theory]
    [MemberData(nameof(BadTransfers))]
    public async Task ABadTransfer_IsRefusedNamingTheField_AndMovesNothing(string json, string field)
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = true);
        using var customer = await FundedCustomerAsync(c, "100");

        using var response = await customer.PostAsync("/api/v1/wallet/withdraw", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith(field, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal("100", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Single(await HistoryAsync(customer));
    }

    [Fact]
    public async Task Withdraw_MoreThanAvailable_IsRefusedAsInsufficientFunds()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = true);
        using var customer = await FundedCustomerAsync(c, "100");

        var detail = await RefusedAsync(customer, "withdraw", new { amount = "1000" }, HttpStatusCode.BadRequest);
        Assert.Contains("insufficient funds", detail, StringComparison.Ordinal);
        Assert.Contains("100 available", detail, StringComparison.Ordinal);

        Assert.Equal("100", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Single(await HistoryAsync(customer));
        await VerifyAsync(c.Admin);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Transfer_RetriedWithTheSameId_MovesMoneyOnce_AndADifferentBodyConflicts(string provider)
    {
        await using var c = await StartAsync(provider, o => o.Compliance.ApproveAllKyc = true);
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet, funds: 0);
        var deposit = new { amount = "100", to = wallet.Address.Value, id = NewId() };
        Assert.False((await OkAsync(c.Admin, "deposit", deposit)).GetProperty("replayed").GetBoolean());
        Assert.True((await OkAsync(c.Admin, "deposit", deposit)).GetProperty("replayed").GetBoolean());
        Assert.Equal("100", (await BalanceAsync(customer)).GetProperty("available").GetString());

        var id = NewId();
        Assert.False((await OkAsync(customer, "withdraw", new { amount = "10", id })).GetProperty("replayed").GetBoolean());
        Assert.True((await OkAsync(customer, "withdraw", new { amount = "10", id })).GetProperty("replayed").GetBoolean());
        var detail = await RefusedAsync(customer, "withdraw", new { amount = "20", id }, HttpStatusCode.Conflict);
        Assert.Contains(id, detail, StringComparison.Ordinal);

        Assert.Equal("90", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Equal(2, (await HistoryAsync(customer)).Count);
        await VerifyAsync(c.Admin);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Withdraw_TenConcurrentOfTwentyFromAHundred_ExactlyFiveSucceed(string provider)
    {
        await using var c = await StartAsync(provider, o => o.Compliance.ApproveAllKyc = true);
        using var customer = await FundedCustomerAsync(c, "100");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            customer.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount = "20", id = NewId() })));
        var codes = responses.Select(r => r.StatusCode).ToList();
        foreach (var r in responses)
            r.Dispose();

        Assert.Equal(5, codes.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, codes.Count(s => s == HttpStatusCode.BadRequest));
        Assert.Equal("0", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.Equal(6, (await HistoryAsync(customer)).Count);
        await VerifyAsync(c.Admin);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Restart_KeepsBalancesAndHistory_AndNewTransfersContinue(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dir);
        var alice = Wallet.Create();
        var bob = Wallet.Create();
        var carol = Wallet.Create();
        string aliceHistory;
        await using (var c = await TestCoordinator.StartAsync(dir, db, configure: o => o.Compliance.ApproveAllKyc = true))
        {
            using var a = await c.CustomerAsync(alice, funds: 0);
            await OkAsync(c.Admin, "deposit", new { amount = "100", to = alice.Address.Value });
            await OkAsync(c.Admin, "deposit", new { amount = "7.5", to = bob.Address.Value });
            await OkAsync(a, "withdraw", new { amount = "12.25" });
            aliceHistory = await a.GetStringAsync("/api/v1/wallet/history");
        }

        await using (var c = await TestCoordinator.StartAsync(dir, db, configure: o => o.Compliance.ApproveAllKyc = true))
        {
            using var a = await c.CustomerAsync(alice, funds: 0);
            using var b = await c.CustomerAsync(bob, funds: 0);
            Assert.Equal("87.75", (await BalanceAsync(a)).GetProperty("available").GetString());
            Assert.Equal("7.5", (await BalanceAsync(b)).GetProperty("available").GetString());
            Assert.Equal(aliceHistory, await a.GetStringAsync("/api/v1/wallet/history"));
            await VerifyAsync(c.Admin);

            // New accounts and transfers continue after what the store holds.
            using var cc = await c.CustomerAsync(carol, funds: 0);
            await OkAsync(c.Admin, "deposit", new { amount = "3", to = carol.Address.Value });
            await OkAsync(b, "withdraw", new { amount = "2.5" });
            Assert.Equal("3", (await BalanceAsync(cc)).GetProperty("available").GetString());
            Assert.Equal("5", (await BalanceAsync(b)).GetProperty("available").GetString());
            var sequences = (await HistoryAsync(b)).Select(e => e.GetProperty("sequence").GetInt64()).ToList();
            Assert.Equal(2, sequences.Count);
            Assert.True(sequences[0] > JsonDocument.Parse(aliceHistory).RootElement[0].GetProperty("sequence").GetInt64());
            await VerifyAsync(c.Admin);
        }

        // And once more: what the second coordinator wrote is read back too.
        await using (var c = await TestCoordinator.StartAsync(dir, db))
        {
            Assert.Equal("3", (await BalanceAsync(c.Admin, carol.Address.Value)).GetProperty("available").GetString());
            Assert.Equal("5", (await BalanceAsync(c.Admin, bob.Address.Value)).GetProperty("available").GetString());
            await VerifyAsync(c.Admin);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Stake_TwoH100s_NeedTwoThousand_AndUnstakeStartsUnbonding(string provider)
    {
        await using var c = await StartAsync(provider);
        await using var agent = await c.ReadyAgentAsync("H100-SXM5-80GB:2");
        var host = await agent.HostIdAsync();
        using var hostOperator = await c.CustomerAsync(agent.Wallet, funds: 0);
        await OkAsync(c.Admin, "deposit", new { amount = "5000", to = agent.Wallet.Address.Value });
        var before = await BalanceAsync(hostOperator);
        var shown = Assert.Single(before.GetProperty("hosts").EnumerateArray());
        Assert.Equal(host, shown.GetProperty("host").GetString());
        Assert.Equal("2000", shown.GetProperty("required").GetString());
        Assert.False(shown.GetProperty("fullyStaked").GetBoolean());

        var detail = await RefusedAsync(hostOperator, "stake", new { amount = "1000", host }, HttpStatusCode.BadRequest, "amount");
        Assert.Contains("needs 2000", detail, StringComparison.Ordinal);
        Assert.Equal("5000", (await BalanceAsync(hostOperator)).GetProperty("available").GetString());

        await OkAsync(hostOperator, "stake", new { amount = "2000", host });
        var staked = await BalanceAsync(hostOperator);
        Assert.Equal("3000", staked.GetProperty("available").GetString());
        Assert.Equal("2000", staked.GetProperty("staked").GetString());
        Assert.True(staked.GetProperty("hosts")[0].GetProperty("fullyStaked").GetBoolean());

        await RefusedAsync(hostOperator, "unstake", new { amount = "3000", host }, HttpStatusCode.BadRequest, "amount");
        var unstakeId = NewId();
        var at = DateTimeOffset.UtcNow;
        await OkAsync(hostOperator, "unstake", new { amount = "500", host, id = unstakeId });
        var after = await BalanceAsync(hostOperator);
        Assert.Equal("1500", after.GetProperty("staked").GetString());
        Assert.Equal("500", after.GetProperty("unbonding").GetString());
        Assert.Equal("3000", after.GetProperty("available").GetString());
        Assert.False(after.GetProperty("hosts")[0].GetProperty("fullyStaked").GetBoolean());

        var dbs = c.App.Services.GetRequiredService<IDbContextFactory<GpunetDb>>();
        await using (var ctx = await dbs.CreateDbContextAsync())
        {
            var entry = Assert.Single(await ctx.Set<UnbondingRecord>().AsNoTracking().ToListAsync());
            Assert.Equal(unstakeId, entry.TransferId);
            Assert.Equal(agent.Wallet.Address.Value, entry.Owner);
            Assert.Equal(host, entry.HostId);
            Assert.Equal(500_0000_0000L, entry.Amount);
            Assert.Null(entry.ReleasedEpoch);
            Assert.InRange(entry.ReleaseAt, at.AddDays(180).AddMinutes(-1), at.AddDays(180).AddMinutes(1));
        }

        // Unstake the rest; a retry of the first unstake is still answered as a replay, though less is staked now.
        await OkAsync(hostOperator, "unstake", new { amount = "1500", host });
        Assert.True((await OkAsync(hostOperator, "unstake", new { amount = "500", host, id = unstakeId })).GetProperty("replayed").GetBoolean());
        var emptied = await BalanceAsync(hostOperator);
        Assert.Equal("0", emptied.GetProperty("staked").GetString());
        Assert.Equal("2000", emptied.GetProperty("unbonding").GetString());
        await using (var ctx = await dbs.CreateDbContextAsync())
            Assert.Equal(2, await ctx.Set<UnbondingRecord>().CountAsync());

        var stranger = Wallet.Create();
        using var other = await c.CustomerAsync(stranger, funds: 0);
        await OkAsync(c.Admin, "deposit", new { amount = "5000", to = stranger.Address.Value });
        await RefusedAsync(other, "stake", new { amount = "2000", host }, HttpStatusCode.NotFound);
        await RefusedAsync(other, "unstake", new { amount = "100", host }, HttpStatusCode.NotFound);
        Assert.Equal("5000", (await BalanceAsync(other)).GetProperty("available").GetString());
        await VerifyAsync(c.Admin);
    }

    [Fact]
    public async Task Faucet_GivesACustomerUpToItsLimit()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => o.Ledger.FaucetLimit = 1000);
        var wallet = Wallet.Create();
        using var customer = await c.CustomerAsync(wallet, funds: 0);

        var done = await OkAsync(customer, "deposit", new { amount = "500" });
        Assert.Equal("faucet", done.GetProperty("code").GetString());
        var detail = await RefusedAsync(customer, "deposit", new { amount = "5000" }, HttpStatusCode.BadRequest, "amount");
        Assert.Contains("1000", detail, StringComparison.Ordinal);
        await RefusedAsync(customer, "deposit", new { amount = "5", to = Wallet.Create().Address.Value }, HttpStatusCode.BadRequest, "to");

        // Your own address however it is spelled (checksummed addresses are mixed case).
        await OkAsync(customer, "deposit", new { amount = "1", to = "0x" + wallet.Address.Value[2..].ToUpperInvariant() });

        Assert.Equal("501", (await BalanceAsync(customer)).GetProperty("available").GetString());
        Assert.All(await HistoryAsync(customer), e => Assert.Equal("faucet", e.GetProperty("code").GetString()));
        Assert.Equal(2, (await HistoryAsync(customer)).Count);
        await VerifyAsync(c.Admin);
    }

    [Fact]
    public async Task Faucet_ClaimsPastItsDailyLimitPerWallet_AreRefusedNamingWhatRemains_ThroughAnyCoordinatorOfTheStore()
    {
        var dir = TestCoordinator.NewDataDir();
        var db = TestStores.NewDatabase("sqlite", dir);
        await using var first = await TestCoordinator.StartAsync(dir, db, configure: o => o.Ledger.FaucetLimit = 1000);
        await using var second = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, configure: o => o.Ledger.FaucetLimit = 1000);
        var wallet = Wallet.Create();
        using var viaFirst = await first.CustomerAsync(wallet, funds: 0);
        using var viaSecond = await second.CustomerAsync(wallet, funds: 0);

        await OkAsync(viaFirst, "deposit", new { amount = "600" });
        // Each claim is under the per-claim limit, together they are over the day's: the second is refused, nothing moved.
        using (var refused = await viaFirst.PostAsJsonAsync("/api/v1/wallet/deposit", new { amount = "500" }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("amount", problem.GetProperty("field").GetString());
            Assert.Contains("400 remain", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("600", (await BalanceAsync(viaFirst)).GetProperty("available").GetString());
        // The allowance is the wallet's, read from the shared ledger: the other coordinator gives the rest and no more.
        await OkAsync(viaSecond, "deposit", new { amount = "400" });
        var detail = await RefusedAsync(viaSecond, "deposit", new { amount = "1" }, HttpStatusCode.TooManyRequests, "amount");
        Assert.Contains("0 remain", detail, StringComparison.Ordinal);
        Assert.Equal("1000", (await BalanceAsync(viaFirst)).GetProperty("available").GetString());
        // Another wallet has its own allowance.
        using var other = await first.CustomerAsync(Wallet.Create(), funds: 0);
        await OkAsync(other, "deposit", new { amount = "1000" });
        await VerifyAsync(first.Admin);
    }

    [Fact]
    public async Task LedgerVerify_ForACustomer_Is403_BeforeAnyWork()
    {
        await using var c = await TestCoordinator.StartAsync();
        using var customer = await c.CustomerAsync(Wallet.Create(), funds: 10);
        using var response = await customer.GetAsync("/api/v1/ledger/verify");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("network operator", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await VerifyAsync(c.Admin);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoCoordinators_OnOneStore_EachShowsTheOthersWrites_AndBothStayBalanced(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        var db = await TestStores.NewStoreAsync(provider, dir);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        await using var first = await TestCoordinator.StartAsync(dir, db, adminToken: token);
        await using var second = await TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token);
        var wallet = Wallet.Create();

        var sum = 0;
        for (var i = 1; i <= 6; i++)
        {
            var (through, other) = i % 2 == 1 ? (first, second) : (second, first);
            await OkAsync(through.Admin, "deposit", new { amount = i.ToString(System.Globalization.CultureInfo.InvariantCulture), to = wallet.Address.Value });
            sum += i;
            // The coordinator that did not write shows it at once, without writing anything itself.
            Assert.Equal(sum.ToString(System.Globalization.CultureInfo.InvariantCulture),
                (await BalanceAsync(other.Admin, wallet.Address.Value)).GetProperty("available").GetString());
            Assert.Equal(i, (await HistoryAsync(other.Admin, wallet.Address.Value)).Count);
        }

        Assert.Equal("21", (await BalanceAsync(first.Admin, wallet.Address.Value)).GetProperty("available").GetString());
        Assert.Equal("21", (await BalanceAsync(second.Admin, wallet.Address.Value)).GetProperty("available").GetString());
        await VerifyAsync(first.Admin);
        await VerifyAsync(second.Admin);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoCoordinators_StartingTogetherOnAFreshStore_CreateTheSupplyOnce(string provider)
    {
        var dir = TestCoordinator.NewDataDir();
        var db = TestStores.NewDatabase(provider, dir);
        var token = "gpa_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var starting = new[] { TestCoordinator.StartAsync(dir, db, adminToken: token), TestCoordinator.StartAsync(TestCoordinator.NewDataDir(), db, adminToken: token) };
        var coordinators = await Task.WhenAll(starting);
        try
        {
            foreach (var c in coordinators)
            {
                var audit = await VerifyAsync(c.Admin);
                Assert.Equal("42000000000", audit.GetProperty("totalSupply").GetString());
            }

            // One emission-seed transfer, not two.
            await using var store = await StoreConnection.Parse(db).CreateDbContextFactory().CreateDbContextAsync();
            Assert.Equal(1, await store.LedgerTransfers.CountAsync());
        }
        finally
        {
            foreach (var c in coordinators)
                await c.DisposeAsync();
        }
    }

    private static async Task<TestCoordinator> StartAsync(string provider, Action<CoordinatorOptions>? configure = null)
    {
        var dir = TestCoordinator.NewDataDir();
        return await TestCoordinator.StartAsync(dir, await TestStores.NewStoreAsync(provider, dir), configure: configure);
    }

    /// <summary>A new customer, signed in, with <paramref name="amount"/> deposited by the operator.</summary>
    private static async Task<HttpClient> FundedCustomerAsync(TestCoordinator c, string amount)
    {
        var wallet = Wallet.Create();
        var customer = await c.CustomerAsync(wallet, funds: 0);
        await OkAsync(c.Admin, "deposit", new { amount, to = wallet.Address.Value });
        return customer;
    }

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static async Task<JsonElement> OkAsync(HttpClient http, string operation, object body)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/wallet/{operation}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{operation}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Posts a transfer that must be refused with <paramref name="status"/> (naming <paramref name="field"/>); returns the detail.</summary>
    private static async Task<string> RefusedAsync(HttpClient http, string operation, object body, HttpStatusCode status, string? field = null)
    {
        using var response = await http.PostAsJsonAsync($"/api/v1/wallet/{operation}", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{operation}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        if (field is not null)
            Assert.Equal(field, problem.GetProperty("field").GetString());
        return problem.GetProperty("detail").GetString()!;
    }

    private static async Task<JsonElement> BalanceAsync(HttpClient http, string? address = null) =>
        await http.GetFromJsonAsync<JsonElement>("/api/v1/wallet" + (address is null ? "" : "?address=" + address));

    private static async Task<List<JsonElement>> HistoryAsync(HttpClient http, string? address = null) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/v1/wallet/history" + (address is null ? "" : "?address=" + address))).EnumerateArray().ToList();

    private static async Task<JsonElement> VerifyAsync(HttpClient http)
    {
        var audit = await http.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
        Assert.True(audit.GetProperty("balanced").GetBoolean(), audit.ToString());
        Assert.Equal(audit.GetProperty("totalSupply").GetString(), audit.GetProperty("sumOfBalances").GetString());
        return audit;
    }
}
