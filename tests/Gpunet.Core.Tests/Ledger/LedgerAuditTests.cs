using System.Text.Json;
using Gpunet.Core.Ledger;
using static Gpunet.Core.Tests.Ledger.Books;

namespace Gpunet.Core.Tests.Ledger;

public sealed class LedgerAuditTests
{
    [Fact]
    public void Verify_SoundLedger_BalancedWithTheSupply()
    {
        var book = Create(TokenAmount.TotalSupplyBaseUnits);
        book.Apply([T(1, Genesis, Alice, 500), T(2, Alice, Bob, 200, TransferFlags.Pending), T(3, Genesis, Carol, 7, TransferFlags.Pending)]);
        book.Apply([T(4, Alice, Bob, 150, TransferFlags.PostPending, 2), T(5, Genesis, Carol, 0, TransferFlags.VoidPending, 3)]);

        var result = LedgerAudit.Verify(book);

        Assert.True(result.Balanced, string.Join("; ", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(TokenAmount.TotalSupply, result.TotalSupply);
        Assert.Equal(TokenAmount.TotalSupply, result.SumOfBalances);
    }

    [Fact]
    public void Verify_BeforeGenesis_BalancedAtZero()
    {
        var result = LedgerAudit.Verify(Create(genesis: null));
        Assert.True(result.Balanced);
        Assert.Equal(TokenAmount.Zero, result.SumOfBalances);
    }

    [Fact]
    public void Verify_MoneyFromNowhere_SumAndCountersReported()
    {
        var book = Create();
        book.ApplyOne(T(1, Genesis, Alice, 100));
        var accounts = book.Accounts.Select(a => a.Id == Bob ? a with { CreditsPosted = 5 } : a).ToList();

        var result = LedgerAudit.Verify(book.GenesisAccount, book.GenesisTotal, accounts, book.Transfers);

        Assert.False(result.Balanced);
        Assert.Equal(TokenAmount.FromBaseUnits(1_005), result.SumOfBalances);
        Assert.Contains(result.Problems, p => p.Contains("sum of balances", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains($"account {Bob} ", StringComparison.Ordinal) && p.Contains("differ", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_ALogOfThreeHundredBadTransfers_ListsTheFirstHundred_CountsTheRest()
    {
        var book = Create();
        // Transfers that move nothing: one problem each.
        var transfers = Enumerable.Range(1, 300).Select(i => T((ulong)i, Genesis, Alice, 0)).ToList();

        var result = LedgerAudit.Verify(book.GenesisAccount, book.GenesisTotal, book.Accounts, transfers);

        Assert.False(result.Balanced);
        Assert.Equal(LedgerAudit.MostListed, result.Problems.Count);
        Assert.Equal("transfer 00000000000000000000000000000001 moves nothing", result.Problems[0]);
        Assert.True(result.ProblemsUnlisted >= 200, result.ProblemsUnlisted?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Verify_AccountBelowZeroOrOverReserved_Reported()
    {
        var book = Create();
        var accounts = book.Accounts
            .Select(a => a.Id == Alice ? a with { DebitsPosted = 10 } : a.Id == Genesis ? a with { CreditsPosted = 1_010, DebitsPending = 2_000 } : a)
            .ToList();

        var result = LedgerAudit.Verify(book.GenesisAccount, book.GenesisTotal, accounts, []);

        Assert.False(result.Balanced);
        Assert.Contains(result.Problems, p => p.Contains("below zero", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("beyond its balance", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("pending debits", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_LogThatOverdrawsOrRepeatsAnId_Reported()
    {
        var book = Create();
        Transfer[] log = [T(1, Alice, Bob, 5), T(1, Alice, Bob, 5), T(2, Alice, Bob, 1, TransferFlags.PostPending, 9)];

        var result = LedgerAudit.Verify(book.GenesisAccount, book.GenesisTotal, book.Accounts, log);

        Assert.False(result.Balanced);
        Assert.Contains(result.Problems, p => p.Contains("overdraws", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("twice", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Contains("no open pending", StringComparison.Ordinal));
    }

    [Fact]
    public void Result_Json_HasTheNamesTheCliPrints()
    {
        var json = JsonSerializer.Serialize(LedgerAudit.Verify(Create()));
        Assert.Equal("{\"balanced\":true,\"totalSupply\":\"0.00001\",\"sumOfBalances\":\"0.00001\",\"problems\":[]}", json);
    }
}
