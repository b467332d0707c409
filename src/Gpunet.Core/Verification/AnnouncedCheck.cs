using Gpunet.Core.Identity;

namespace Gpunet.Core.Verification;

/// <summary>A check the coordinator announced to a host (ExpectCheck in agent.proto): the host answers it, and only it,
/// until <see cref="ExpiresAt"/>.</summary>
/// <param name="CheckId">The check.</param>
/// <param name="Kind">One of <see cref="CheckKind.All"/>.</param>
/// <param name="Checkers">The assigned checkers: the only ones answered.</param>
/// <param name="ExpiresAt">After this the check is not answered (UTC).</param>
/// <param name="Size">Capacity: n of each product.</param>
/// <param name="Products">Capacity: products per GPU.</param>
/// <param name="TimingSize">Capacity: n of the work the answer time is judged against.</param>
/// <param name="TimingProducts">Capacity: products of that work.</param>
/// <param name="InnerSize">Capacity: k of each product (A n × k, B k × n); 0 for a square product (k = n), as every
/// announcement before the inner size was.</param>
/// <param name="TimingInnerSize">Capacity: k of the timing work; 0 for square.</param>
/// <param name="Trap">A planted host's trap: a <c>--honeypot</c> agent answers it as a host that is down or computes
/// wrong; every other agent ignores it.</param>
public sealed record AnnouncedCheck(string CheckId, string Kind, IReadOnlyList<Address> Checkers, DateTimeOffset ExpiresAt,
    int Size, int Products, int TimingSize, int TimingProducts, int InnerSize = 0, int TimingInnerSize = 0, bool Trap = false)
{
    /// <summary>k of each product computed: <see cref="InnerSize"/>, or <see cref="Size"/> when square.</summary>
    public int Inner => MatrixChallenge.EffectiveInnerSize(Size, InnerSize);

    /// <summary>k of the timing work: <see cref="TimingInnerSize"/>, or <see cref="TimingSize"/> when square.</summary>
    public int TimingInner => MatrixChallenge.EffectiveInnerSize(TimingSize, TimingInnerSize);
}
