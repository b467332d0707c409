using Gpunet.Core.Audit;

namespace Gpunet.Core.Tests.Audit;

public sealed class AuditChainTests
{
    private static void AssertBroken(AuditVerification verification, long sequence, string problem)
    {
        Assert.False(verification.Valid);
        Assert.Equal(sequence, verification.FirstInvalidSequence);
        Assert.Equal(sequence - 1, verification.Entries);
        Assert.Equal(problem, verification.Problem);
    }

    private static AuditEntry Rehashed(AuditEntry entry) => entry with { Hash = AuditChain.ComputeHash(entry) };

    [Fact]
    public void Append_FirstEntry_StartsAtOneFromGenesis()
    {
        var first = AuditChain.Append(null, AuditLog.T0, "0xabc", "kyc-not-approved", "{}", null, "2027-01", "refused", "matcher");

        Assert.Equal(1, first.Sequence);
        Assert.Equal(AuditChain.GenesisHash, first.PreviousHash);
        Assert.Equal(new string('0', 64), AuditChain.GenesisHash);
        Assert.Matches("^[0-9a-f]{64}$", first.Hash);
    }

    [Fact]
    public void Append_NextEntry_LinksToThePreviousHash()
    {
        var chain = AuditLog.Chain(2);

        Assert.Equal(2, chain[1].Sequence);
        Assert.Equal(chain[0].Hash, chain[1].PreviousHash);
        Assert.NotEqual(chain[0].Hash, chain[1].Hash);
    }

    [Fact]
    public void Append_SubMillisecondTime_StoredAsUtcMilliseconds()
    {
        var at = new DateTimeOffset(2026, 11, 26, 13, 0, 0, 123, TimeSpan.FromHours(1)).AddTicks(4567);

        var entry = AuditChain.Append(null, at, "s", "r", "{}", null, null, "o", "d");

        Assert.Equal(TimeSpan.Zero, entry.At.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, 123, TimeSpan.Zero), entry.At);
        Assert.True(AuditChain.Verify([entry]).Valid);
    }

    [Fact]
    public void ComputeHash_NullAndEmptyVersion_Differ() =>
        Assert.NotEqual(
            AuditChain.ComputeHash(1, AuditLog.T0, "s", "r", "{}", null, "p", "o", "d", AuditChain.GenesisHash),
            AuditChain.ComputeHash(1, AuditLog.T0, "s", "r", "{}", "", "p", "o", "d", AuditChain.GenesisHash));

    [Fact]
    public void ComputeHash_TextMovedBetweenFields_Differs() =>
        Assert.NotEqual(
            AuditChain.ComputeHash(1, AuditLog.T0, "ab", "c", "{}", null, null, "o", "d", AuditChain.GenesisHash),
            AuditChain.ComputeHash(1, AuditLog.T0, "a", "bc", "{}", null, null, "o", "d", AuditChain.GenesisHash));

    [Fact]
    public void ComputeHash_SameInstantInAnotherOffset_Same() =>
        Assert.Equal(
            AuditChain.ComputeHash(1, AuditLog.T0, "s", "r", "{}", null, null, "o", "d", AuditChain.GenesisHash),
            AuditChain.ComputeHash(1, AuditLog.T0.ToOffset(TimeSpan.FromHours(9)), "s", "r", "{}", null, null, "o", "d", AuditChain.GenesisHash));

    [Fact]
    public void Verify_EmptyLog_ValidWithNoEntries() =>
        Assert.Equal(new AuditVerification(true, 0, null, null), AuditChain.Verify([]));

    [Fact]
    public void Verify_IntactChain_ValidWithEveryEntryCounted() =>
        Assert.Equal(new AuditVerification(true, 10, null, null), AuditChain.Verify(AuditLog.Chain(10)));

    [Fact]
    public void Verify_EntryAltered_NamesIt()
    {
        var chain = AuditLog.Chain(10);
        chain[6] = chain[6] with { Outcome = "allowed", Inputs = """{"name":"Someone Else","country":"DE"}""" };

        AssertBroken(AuditChain.Verify(chain), 7, "entry 7 was altered: its hash does not match its contents");
    }

    [Fact]
    public void Verify_EntryAlteredAndRehashed_NamesIt()
    {
        var chain = AuditLog.Chain(10);
        chain[6] = Rehashed(chain[6] with { Subject = "0xsomeoneelse" });

        AssertBroken(AuditChain.Verify(chain), 7,
            "entry 7 was altered: entry 8 no longer links to it (its hash was recomputed after the change)");
    }

    [Fact]
    public void Verify_LastEntryAlteredAndRehashed_NotDetectableFromTheChainAlone()
    {
        // The documented limit: the coordinator compares the last hash with the head it stored elsewhere.
        var chain = AuditLog.Chain(10);
        var original = chain[9].Hash;
        chain[9] = Rehashed(chain[9] with { Subject = "0xsomeoneelse" });

        Assert.True(AuditChain.Verify(chain).Valid);
        Assert.NotEqual(original, chain[9].Hash);
    }

    [Theory]
    [InlineData(4, 1, 5, "entry 5 is missing (removed)")]
    [InlineData(4, 3, 5, "entries 5 to 7 are missing (removed)")]
    [InlineData(0, 1, 1, "entry 1 is missing (removed)")]
    [InlineData(0, 2, 1, "entries 1 to 2 are missing (removed)")]
    public void Verify_EntriesRemoved_NamesTheMissingOnes(int index, int count, long sequence, string problem)
    {
        var chain = AuditLog.Chain(10);
        chain.RemoveRange(index, count);

        AssertBroken(AuditChain.Verify(chain), sequence, problem);
    }

    [Fact]
    public void Verify_FirstEntryRemovedAndRestRenumberedAndRehashed_NamesEntryOne()
    {
        var chain = AuditLog.Chain(4);
        var renumbered = new List<AuditEntry>();
        foreach (var e in chain.Skip(1))
            renumbered.Add(Rehashed(e with { Sequence = e.Sequence - 1 }));

        AssertBroken(AuditChain.Verify(renumbered), 1,
            "entry 1 does not start the chain: its previous hash is not the genesis hash (earlier entries were removed)");
    }

    [Fact]
    public void Verify_LastEntryRemoved_NotDetectableFromTheChainAlone()
    {
        // The documented limit: the coordinator also compares Entries with its stored head count.
        var chain = AuditLog.Chain(10);
        chain.RemoveAt(9);

        Assert.Equal(new AuditVerification(true, 9, null, null), AuditChain.Verify(chain));
    }

    [Fact]
    public void Verify_TwoEntriesSwapped_NamesTheSwap()
    {
        var chain = AuditLog.Chain(10);
        (chain[2], chain[3]) = (chain[3], chain[2]);

        AssertBroken(AuditChain.Verify(chain), 3, "entries 3 and 4 are out of order: entry 4 comes before entry 3");
    }

    [Fact]
    public void Verify_EntryDuplicated_NamesWhereItRepeats()
    {
        var chain = AuditLog.Chain(10);
        chain.Insert(5, chain[4]);

        AssertBroken(AuditChain.Verify(chain), 6, "entry 6 is out of place: entry 5 comes after entry 5");
    }

    [Fact]
    public void Verify_EntriesSwappedWithSequencesAndHashesRewritten_BreaksAtTheSwap()
    {
        var chain = AuditLog.Chain(10);
        var third = chain[2];
        chain[2] = Rehashed(chain[3] with { Sequence = 3 });
        chain[3] = Rehashed(third with { Sequence = 4 });

        // The moved entry still names its old predecessor: the chain shows the link from 2 to 3 broken,
        // which reads the same as entry 2 having been rewritten.
        AssertBroken(AuditChain.Verify(chain), 2,
            "entry 2 was altered: entry 3 no longer links to it (its hash was recomputed after the change)");
    }

    [Fact]
    public void Verify_EntryWithUnencodableText_NamedAsAltered()
    {
        var chain = AuditLog.Chain(3);
        chain[1] = chain[1] with { Subject = "\uD800" };

        AssertBroken(AuditChain.Verify(chain), 2, "entry 2 was altered: its hash does not match its contents");
    }

    [Fact]
    public void Verify_ReadsTheLogOnce()
    {
        var reads = 0;
        IEnumerable<AuditEntry> Stream()
        {
            reads++;
            foreach (var e in AuditLog.Chain(5))
                yield return e;
        }

        Assert.True(AuditChain.Verify(Stream()).Valid);
        Assert.Equal(1, reads);
    }
}
