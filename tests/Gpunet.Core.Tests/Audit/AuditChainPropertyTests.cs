using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Audit;

namespace Gpunet.Core.Tests.Audit;

public sealed class AuditChainPropertyTests
{
    // Field text: ASCII, multi-byte UTF-8 and JSON punctuation, so length prefixes count bytes, not characters.
    private static readonly Gen<string> Text =
        Gen.ListOf(Gen.Elements("a", "Z", "7", " ", "\"", "{", "}", ":", "é", "€", "🙂")).Resize(8).Select(string.Concat);

    private static readonly Gen<string?> OptionalText = Gen.OneOf(Gen.Constant<string?>(null), Text.Select(t => (string?)t));

    private static readonly Gen<List<AuditEntry>> ChainGen =
        from steps in Gen.NonEmptyListOf(
            from gapMs in Gen.Choose(0, 100_000)
            from subject in Text
            from rule in Text
            from inputs in Text
            from list in OptionalText
            from policy in OptionalText
            from outcome in Text
            from decidedBy in Text
            select (gapMs, subject, rule, inputs, list, policy, outcome, decidedBy)).Resize(12)
        select steps.Aggregate(new List<AuditEntry>(), (chain, s) =>
        {
            var at = (chain.LastOrDefault()?.At ?? AuditLogStart).AddMilliseconds(s.gapMs);
            chain.Add(AuditChain.Append(chain.LastOrDefault(), at, s.subject, s.rule, s.inputs, s.list, s.policy, s.outcome, s.decidedBy));
            return chain;
        });

    private static readonly DateTimeOffset AuditLogStart = AuditLog.T0;

    // One field of an entry, changed to a value it did not have (field index 0..10, in AuditEntry's order).
    private static AuditEntry Alter(AuditEntry e, int field, string other, int delta) => field switch
    {
        0 => e with { Sequence = e.Sequence + delta },
        1 => e with { At = e.At.AddMilliseconds(delta) },
        2 => e with { Subject = e.Subject + other },
        3 => e with { Rule = e.Rule + other },
        4 => e with { Inputs = e.Inputs + other },
        5 => e with { ListVersion = e.ListVersion is null ? other[..^1] : null },
        6 => e with { PolicyVersion = e.PolicyVersion is null ? other[..^1] : e.PolicyVersion + other },
        7 => e with { Outcome = e.Outcome + other },
        8 => e with { DecidedBy = e.DecidedBy + other },
        9 => e with { PreviousHash = Flip(e.PreviousHash, delta) },
        _ => e with { Hash = Flip(e.Hash, delta) },
    };

    private static string Flip(string hex, int at)
    {
        var i = Math.Abs(at) % hex.Length;
        return string.Concat(hex.AsSpan(0, i), hex[i] == '0' ? "1" : "0", hex.AsSpan(i + 1));
    }

    private static readonly Gen<(List<AuditEntry> Chain, int Pick, int Field, string Other, int Delta)> TamperGen =
        from chain in ChainGen
        from pick in Gen.Choose(0, 1000)
        from field in Gen.Choose(0, 10)
        from other in Text.Select(t => t + "x")
        from delta in Gen.Choose(1, 50).Select(d => d % 2 == 0 ? d : -d)
        select (chain, pick, field, other, delta);

    [Property(MaxTest = 300)]
    public Property Verify_AnyOneFieldOfAnyEntryAltered_NamesThatEntry() =>
        Prop.ForAll(TamperGen.ToArbitrary(), t =>
        {
            var chain = t.Chain.ToList();
            var index = t.Pick % chain.Count;
            chain[index] = Alter(chain[index], t.Field, t.Other, t.Delta);

            var verification = AuditChain.Verify(chain);

            return (!verification.Valid && verification.FirstInvalidSequence == index + 1)
                .Label($"field {t.Field} of entry {index + 1} of {chain.Count}: {verification}");
        });

    [Property(MaxTest = 100)]
    public Property Verify_AnyIntactChain_ValidWithEveryEntry() =>
        Prop.ForAll(ChainGen.ToArbitrary(), chain =>
            AuditChain.Verify(chain) == new AuditVerification(true, chain.Count, null, null));
}
