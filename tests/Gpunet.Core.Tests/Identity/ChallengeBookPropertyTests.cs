using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Tests.Identity;

/// <summary>The challenge book against a plain list that spells out its rules, under any mix of clients asking,
/// answering, hanging up and waiting.</summary>
public sealed class ChallengeBookPropertyTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private static readonly ChallengeLimits Limits = new(MaxOpen: 12, PerSource: 5, PerAddress: 2);
    private static readonly Address[] Addresses = [.. Enumerable.Range(1, 4).Select(i => Address.Parse("0x" + i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture)))];
    private static readonly string[] Sources = ["198.51.100.1", "198.51.100.2", "2001:db8::/64", "203.0.113.9"];

    /// <summary>One step: 0–5 ask for a challenge, 6 withdraw one, 7 let time pass, 8 let time pass and sweep.</summary>
    private static readonly Gen<(int Kind, int Address, int Source, int Seconds, int Pick)> Step =
        from kind in Gen.Choose(0, 8)
        from address in Gen.Choose(0, Addresses.Length - 1)
        from source in Gen.Choose(0, Sources.Length - 1)
        from seconds in Gen.Choose(0, 60)
        from pick in Gen.Choose(0, 1000)
        select (kind, address, source, seconds, pick);

    private sealed record Open(string Nonce, Address Address, string Source, DateTimeOffset ExpiresAt);

    [Property(MaxTest = 300)]
    public Property AnySteps_SameAnswersAsTheRules_AndNoLimitPassed() =>
        Prop.ForAll(Gen.ListOf(Step).Resize(150).ToArbitrary(), steps =>
        {
            var book = new ChallengeBook(Lifetime, TimeSpan.FromMinutes(5), Limits);
            var now = Signing.T0;
            var model = new List<Open>(); // what the book holds, oldest first
            var next = 0;
            foreach (var (kind, a, s, seconds, pick) in steps)
            {
                var (address, source) = (Addresses[a], Sources[s]);
                if (kind <= 5)
                {
                    var nonce = $"n{next++}";
                    // The rules: an address at its limit (from this source) replaces its oldest; otherwise a source or
                    // the whole book at its limit is refused, counting only what has not expired.
                    var same = model.Where(o => o.Address == address && o.Source == source).ToList();
                    string? replaced = null;
                    var refusal = ChallengeRefusal.None;
                    if (same.Count >= Limits.PerAddress)
                    {
                        replaced = same[0].Nonce;
                        model.Remove(same[0]);
                    }
                    else if (model.Count(o => o.Source == source) >= Limits.PerSource || model.Count >= Limits.MaxOpen)
                    {
                        model.RemoveAll(o => now > o.ExpiresAt);
                        refusal = model.Count(o => o.Source == source) >= Limits.PerSource ? ChallengeRefusal.SourceBusy
                            : model.Count >= Limits.MaxOpen ? ChallengeRefusal.Full
                            : ChallengeRefusal.None;
                    }

                    if (refusal == ChallengeRefusal.None)
                        model.Add(new Open(nonce, address, source, now + Lifetime));
                    var issue = book.TryIssue(address, SignInMessages.ApiToken, "net", nonce, source, now);
                    if (issue.Refusal != refusal || issue.Replaced != replaced || issue.Issued != (refusal == ChallengeRefusal.None))
                        return false.Label($"step {next}: book {issue.Refusal}/{issue.Replaced}, rules {refusal}/{replaced}");
                }
                else if (kind == 6 && model.Count > 0)
                {
                    var withdrawn = model[pick % model.Count];
                    model.Remove(withdrawn);
                    if (!book.Cancel(withdrawn.Nonce))
                        return false.Label($"{withdrawn.Nonce} was not open");
                }
                else
                {
                    now += TimeSpan.FromSeconds(seconds);
                    if (kind == 8 && book.Sweep(now) != model.RemoveAll(o => now > o.ExpiresAt))
                        return false.Label("swept another number");
                }

                if (book.OpenCount != model.Count || Sources.Any(x => book.OpenFrom(x) != model.Count(o => o.Source == x)))
                    return false.Label($"book holds {book.OpenCount}, rules {model.Count}");
                if (book.OpenCount > Limits.MaxOpen || Sources.Any(x => book.OpenFrom(x) > Limits.PerSource))
                    return false.Label("a limit was passed");
            }

            return true.ToProperty();
        });
}
