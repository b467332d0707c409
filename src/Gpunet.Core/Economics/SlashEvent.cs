using Gpunet.Core.Hosts;
using Gpunet.Core.Identity;

namespace Gpunet.Core.Economics;

/// <summary>A slash decided during an epoch, settled with it: rewards first, then stake.</summary>
/// <param name="Id">A unique, increasing id; slashes are settled in id order.</param>
/// <param name="Operator">The host's operator, whose vesting rewards are taken first.</param>
/// <param name="Reason">What happened, for the history (e.g. the lease and the minutes offline).</param>
public sealed record SlashEvent(long Id, HostId Host, Address Operator, SlashKind Kind, string Reason, DateTimeOffset At);
