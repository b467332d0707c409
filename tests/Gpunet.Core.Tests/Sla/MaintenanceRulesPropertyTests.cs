using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Gpunet.Core.Hosts;
using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class MaintenanceRulesPropertyTests
{
    private static readonly DateTimeOffset Now = MaintenanceRulesTests.Now;
    private static readonly MaintenancePolicy Policy = MaintenanceRulesTests.Policy with { MaxStanding = 50 };

    // Declarations in minutes from now: some in the past, some too soon, some too long, many colliding.
    private static readonly Gen<(int? From, int? Length)[]> RequestsGen =
        Gen.ArrayOf(
            from start in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-600, 3 * 24 * 60).Select(m => (int?)m))
            from length in Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-60, 14 * 60).Select(m => (int?)m))
            select (start, length));

    [Property(MaxTest = 300)]
    public Property Problems_WindowsItAccepts_NeverOverlapAndNeverStartBeforeTheNotice() =>
        Prop.ForAll(RequestsGen.ToArbitrary(), requests =>
        {
            var accepted = new List<MaintenanceWindow>();
            foreach (var (start, length) in requests)
            {
                DateTimeOffset? from = start is { } s ? Now.AddMinutes(s) : null;
                DateTimeOffset? to = from is { } f && length is { } l ? f.AddMinutes(l) : null;
                if (MaintenanceRules.Problems(from, to, null, Now, Policy, HostState.Ready, Now, accepted).Count == 0)
                    accepted.Add(new MaintenanceWindow(accepted.Count, from!.Value, to!.Value));
            }

            var noOverlap = accepted.All(a => accepted.All(b => a.Id == b.Id || !a.Overlaps(b.From, b.To)));
            var noticed = accepted.All(w => w.From >= Now + Policy.Notice && w.To > w.From && w.To - w.From <= Policy.MaxLength);
            return noOverlap && noticed;
        });

    [Property(MaxTest = 300)]
    public Property Blocking_ALeaseItLetsThrough_SharesNoMomentWithAnyWindow() =>
        Prop.ForAll(RequestsGen.ToArbitrary(), Gen.Choose(1, 4 * 24 * 60).ToArbitrary(), (requests, leaseMinutes) =>
        {
            var windows = requests
                .Where(r => r is { From: not null, Length: > 0 })
                .Select((r, i) => new MaintenanceWindow(i, Now.AddMinutes(r.From!.Value), Now.AddMinutes(r.From!.Value + r.Length!.Value)))
                .OrderBy(w => w.From).ToList();
            var duration = TimeSpan.FromMinutes(leaseMinutes);
            var blocking = MaintenanceRules.Blocking(windows, Now, duration, TimeSpan.Zero);
            var overlapping = windows.Where(w => w.Overlaps(Now, Now + duration)).ToList();
            return blocking is null ? overlapping.Count == 0 : blocking == overlapping[0];
        });
}
