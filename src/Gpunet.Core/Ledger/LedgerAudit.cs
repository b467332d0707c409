namespace Gpunet.Core.Ledger;

/// <summary>Checks a ledger's invariants: nothing created or lost, nothing below zero, counters that match the log.</summary>
/// <remarks>
/// The checks: every account's counters are non-negative and its balance covers its pending debits; the sum of all
/// balances is the genesis total and pending debits equal pending credits (every transfer debits exactly what it
/// credits); and replaying the transfer log from genesis gives every account's counters exactly.
/// </remarks>
public static class LedgerAudit
{
    /// <summary>Problems a verdict lists; a damaged ledger can have one per account and transfer, and the rest are counted.</summary>
    public const int MostListed = 100;

    /// <summary>Audits an in-memory ledger.</summary>
    public static LedgerAuditResult Verify(LedgerBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        return Verify(book.GenesisAccount, book.GenesisTotal, book.Accounts, book.Transfers);
    }

    /// <summary>Audits a ledger given as its accounts and its transfer log (in the order applied), e.g. as read from a store.</summary>
    public static LedgerAuditResult Verify(
        AccountId? genesisAccount, TokenAmount genesisTotal, IEnumerable<LedgerAccount> accounts, IEnumerable<Transfer> transfers)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(transfers);
        var problems = new List<string>();
        var byId = new Dictionary<AccountId, LedgerAccount>();

        // Sums in Int128: a corrupt store could hold counters whose sum passes long.MaxValue.
        Int128 sumOfBalances = 0, debitsPending = 0, creditsPending = 0;
        foreach (var a in accounts)
        {
            if (!byId.TryAdd(a.Id, a))
                problems.Add($"account {a.Id} is listed twice");
            if (a.DebitsPending < 0 || a.DebitsPosted < 0 || a.CreditsPending < 0 || a.CreditsPosted < 0)
                problems.Add($"account {a.Id} ({a.Key}) has a negative counter");
            var balance = (Int128)a.CreditsPosted - a.DebitsPosted;
            if (balance < 0)
                problems.Add($"account {a.Id} ({a.Key}) is below zero: balance {balance} base units");
            else if (balance - a.DebitsPending < 0)
                problems.Add($"account {a.Id} ({a.Key}) has pending debits of {a.DebitsPending} base units beyond its balance of {balance}");
            sumOfBalances += balance;
            debitsPending += a.DebitsPending;
            creditsPending += a.CreditsPending;
        }

        if (sumOfBalances != genesisTotal.BaseUnits)
            problems.Add($"the sum of balances, {sumOfBalances} base units, is not the total supply created at genesis, {genesisTotal.BaseUnits}");
        if (debitsPending != creditsPending)
            problems.Add($"pending debits ({debitsPending} base units) do not equal pending credits ({creditsPending})");
        if (genesisAccount is { } g && !byId.ContainsKey(g))
            problems.Add($"the genesis account {g} does not exist");
        if (genesisAccount is null && !genesisTotal.IsZero)
            problems.Add("a genesis total without a genesis account");

        Replay(genesisAccount, genesisTotal, byId, transfers, problems);

        var sum = sumOfBalances >= 0 && sumOfBalances <= TokenAmount.TotalSupplyBaseUnits
            ? TokenAmount.FromBaseUnits((long)sumOfBalances)
            : TokenAmount.Zero;
        return problems.Count <= MostListed
            ? new LedgerAuditResult(problems.Count == 0, genesisTotal, sum, problems)
            : new LedgerAuditResult(false, genesisTotal, sum, problems[..MostListed], problems.Count - MostListed);
    }

    // Recomputes every account's counters from genesis and the log, independently of the engine, and compares.
    private static void Replay(
        AccountId? genesisAccount, TokenAmount genesisTotal, Dictionary<AccountId, LedgerAccount> accounts,
        IEnumerable<Transfer> transfers, List<string> problems)
    {
        var counters = accounts.Keys.ToDictionary(id => id, _ => new Int128[4]); // debits pending, debits posted, credits pending, credits posted
        var pendings = new Dictionary<TransferId, (Transfer Transfer, bool Open)>();
        var seen = new HashSet<TransferId>();
        if (genesisAccount is { } g && counters.TryGetValue(g, out var gc))
            gc[3] += genesisTotal.BaseUnits;

        foreach (var t in transfers)
        {
            if (!seen.Add(t.Id))
                problems.Add($"transfer {t.Id} appears twice in the log");
            if (t.Debit == t.Credit || !counters.TryGetValue(t.Debit, out var d) || !counters.TryGetValue(t.Credit, out var c))
            {
                problems.Add($"transfer {t.Id} does not move money between two existing accounts");
                continue;
            }

            if ((t.Flags & (TransferFlags.PostPending | TransferFlags.VoidPending)) != 0)
            {
                if (t.PendingId is not { } pid || !pendings.TryGetValue(pid, out var p) || !p.Open
                    || p.Transfer.Debit != t.Debit || p.Transfer.Credit != t.Credit)
                {
                    problems.Add($"transfer {t.Id} resolves no open pending transfer of its accounts");
                    continue;
                }

                var reserved = p.Transfer.Amount.BaseUnits;
                d[0] -= reserved;
                c[2] -= reserved;
                if ((t.Flags & TransferFlags.PostPending) != 0)
                {
                    if (t.Amount.IsZero || t.Amount.BaseUnits > reserved)
                        problems.Add($"transfer {t.Id} posts {t.Amount.BaseUnits} base units of a pending {reserved}");
                    d[1] += t.Amount.BaseUnits;
                    c[3] += t.Amount.BaseUnits;
                }

                pendings[pid] = (p.Transfer, false);
                continue;
            }

            if (t.Amount.IsZero)
                problems.Add($"transfer {t.Id} moves nothing");
            var slot = (t.Flags & TransferFlags.Pending) != 0 ? 0 : 1;
            d[slot] += t.Amount.BaseUnits;
            c[slot + 2] += t.Amount.BaseUnits;
            if (slot == 0)
                pendings[t.Id] = (t, true);
            if (d[3] - d[1] - d[0] < 0)
                problems.Add($"transfer {t.Id} overdraws account {t.Debit}");
        }

        foreach (var (id, a) in accounts)
        {
            var r = counters[id];
            if (r[0] != a.DebitsPending || r[1] != a.DebitsPosted || r[2] != a.CreditsPending || r[3] != a.CreditsPosted)
                problems.Add($"account {id} ({a.Key}) counters differ from its transfers: has {a.DebitsPending}/{a.DebitsPosted}/{a.CreditsPending}/{a.CreditsPosted}, the log gives {r[0]}/{r[1]}/{r[2]}/{r[3]} (debits pending/posted, credits pending/posted)");
        }
    }
}
