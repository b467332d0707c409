using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Ledger;

/// <summary>Random deposits, withdrawals and retries fired at once through the real API: every id moves money at most
/// once, every refusal is for lack of funds, each wallet holds exactly what its accepted transfers say, and the stored
/// ledger balances.</summary>
public sealed class ConcurrentWalletPropertyTests : IAsyncLifetime
{
    private TestCoordinator _c = null!;

    public async Task InitializeAsync() => _c = await TestCoordinator.StartAsync(configure: o => o.Compliance.ApproveAllKyc = true);

    public async Task DisposeAsync() => await _c.DisposeAsync();

    public sealed record Op(int Wallet, bool Deposit, int Amount, bool Retried);

    private static readonly Gen<Op> OpGen =
        from wallet in Gen.Choose(0, 2)
        from deposit in Gen.Frequency((2, Gen.Constant(true)), (3, Gen.Constant(false)))
        from amount in Gen.Choose(1, 40)
        from retried in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Op(wallet, deposit, amount, retried);

    [Property(MaxTest = 12)]
    public Property ConcurrentDepositsWithdrawalsAndRetries_MoveMoneyOnceAndBalance() =>
        Prop.ForAll(Gen.ListOf(OpGen).Select(l => l.Take(24).ToList()).Where(l => l.Count > 0).ToArbitrary(),
            ops => RunAsync(ops).GetAwaiter().GetResult());

    private async Task<bool> RunAsync(List<Op> ops)
    {
        var wallets = Enumerable.Range(0, 3).Select(_ => Wallet.Create()).ToArray();
        var clients = new HttpClient[3];
        for (var i = 0; i < 3; i++)
            clients[i] = await _c.CustomerAsync(wallets[i], funds: 0);
        try
        {
            // Every request goes out at once; a retried one is sent twice under its id.
            var sends = new List<Task<(Op Op, string Id, HttpStatusCode Status, string Body)>>();
            foreach (var op in ops)
            {
                var id = RandomNumberGenerator.GetHexString(32, lowercase: true);
                for (var copy = 0; copy < (op.Retried ? 2 : 1); copy++)
                    sends.Add(SendAsync(op, id, op.Deposit ? _c.Admin : clients[op.Wallet], wallets[op.Wallet]));
            }

            var answers = await Task.WhenAll(sends);
            var expected = new long[3];
            foreach (var group in answers.GroupBy(a => a.Id))
            {
                var moved = group.Where(a => a.Status == HttpStatusCode.OK && !JsonDocument.Parse(a.Body).RootElement.GetProperty("replayed").GetBoolean()).ToList();
                Assert.True(moved.Count <= 1, $"id {group.Key} moved money {moved.Count} times");
                foreach (var refused in group.Where(a => a.Status != HttpStatusCode.OK))
                {
                    Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
                    Assert.False(refused.Op.Deposit, refused.Body);
                    Assert.Contains("insufficient funds", refused.Body, StringComparison.Ordinal);
                }

                if (moved.Count == 1)
                    expected[group.First().Op.Wallet] += group.First().Op.Deposit ? group.First().Op.Amount : -group.First().Op.Amount;
            }

            for (var i = 0; i < 3; i++)
            {
                var wallet = await clients[i].GetFromJsonAsync<JsonElement>("/api/v1/wallet");
                Assert.Equal(expected[i].ToString(System.Globalization.CultureInfo.InvariantCulture), wallet.GetProperty("available").GetString());
            }

            var audit = await _c.Admin.GetFromJsonAsync<JsonElement>("/api/v1/ledger/verify");
            Assert.True(audit.GetProperty("balanced").GetBoolean(), audit.ToString());
            return true;
        }
        finally
        {
            foreach (var c in clients)
                c.Dispose();
        }
    }

    private static async Task<(Op, string, HttpStatusCode, string)> SendAsync(Op op, string id, HttpClient http, Wallet wallet)
    {
        var amount = op.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var response = op.Deposit
            ? await http.PostAsJsonAsync("/api/v1/wallet/deposit", new { amount, id, to = wallet.Address.Value })
            : await http.PostAsJsonAsync("/api/v1/wallet/withdraw", new { amount, id });
        return (op, id, response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
