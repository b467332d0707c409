using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Gpunet.Contracts.Console;

// Something the signed-in participant should act on, with its reason.
public sealed record AlertView(
    [property: AllowedValues("low-balance", "host-paused", "check-failed"), Description("low-balance: the available balance will not cover the running leases' next hold; host-paused: one of your hosts is held; check-failed: a check of one of your hosts failed")] string Kind,
    [property: Description("What it is about: your wallet address, a host id, or a check id"), MaxLength(TextLimits.Label)] string Subject,
    [property: Description("What happened and why, in words"), MaxLength(TextLimits.Reason)] string Message,
    [property: Description("Since when, or when it happened")] DateTimeOffset At,
    [property: Description("low-balance: hours of runway the available balance gives the running leases")] double? RunwayHours = null);
