using Gpunet.Core.Identity;
using Gpunet.Core.Verification;

namespace Gpunet.Core.Tests.Verification;

public sealed class ProbeAdmissionTests
{
    private const string Network = "gpunet-test";
    private const string HostId = "host_1";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Wallet Checker = Wallet.Create();

    private static AnnouncedCheck Check(string kind = CheckKind.Capacity) =>
        new("chk_1", kind, [Checker.Address], Now.AddMinutes(2), Size: 64, Products: 2, TimingSize: 64, TimingProducts: 2);

    private static ProbeCredentials Signed(string hostId = HostId, string kind = CheckKind.Capacity, TimeSpan? skew = null)
    {
        var at = Now + (skew ?? TimeSpan.Zero);
        var signature = Checker.Sign(new ProbeStatement("chk_1", hostId, kind, "n1").ToCanonical(Network, Checker.Address, at));
        return new ProbeCredentials("chk_1", Checker.Address.Value, "n1", at.ToUnixTimeSeconds(), signature);
    }

    private static ProbeRefusal? Admit(AnnouncedCheck? check, ProbeCredentials? auth, ProbeRpc rpc = ProbeRpc.Capacity, string? hostId = HostId) =>
        ProbeAdmission.Admit(check, auth, rpc, hostId, Network, Now, EthereumSignatureScheme.Instance);

    [Fact]
    public void Admit_AssignedCheckerSignedForThisHost_IsAnswered() => Assert.Null(Admit(Check(), Signed()));

    [Fact]
    public void Admit_SignedWithinTheClockSkew_IsAnswered() => Assert.Null(Admit(Check(), Signed(skew: TimeSpan.FromMinutes(-4))));

    [Fact]
    public void Admit_SignedForAnotherHost_IsRefusedAsBadSignature() =>
        Assert.Equal(ProbeRefusalReason.BadSignature, Admit(Check(), Signed(hostId: "host_2"))?.Reason);

    [Fact]
    public void Admit_SignedForAnotherKind_IsRefusedAsBadSignature() =>
        Assert.Equal(ProbeRefusalReason.BadSignature, Admit(Check(), Signed(kind: CheckKind.Liveness))?.Reason);

    [Fact]
    public void Admit_BeforeRegistration_IsRefused() =>
        Assert.Equal(ProbeRefusalReason.NotRegistered, Admit(Check(), Signed(), hostId: null)?.Reason);

    [Fact]
    public void Admit_AfterExpiry_IsRefused() =>
        Assert.Equal(ProbeRefusalReason.Expired, Admit(Check() with { ExpiresAt = Now }, Signed())?.Reason);

    [Fact]
    public void Admit_CheckerNotAmongTheAssigned_IsRefused() =>
        Assert.Equal(ProbeRefusalReason.NotAssigned, Admit(Check() with { Checkers = [Wallet.Create().Address] }, Signed())?.Reason);

    [Fact]
    public void Admit_MalformedCheckerAddress_IsMalformed() =>
        Assert.Equal(ProbeRefusalReason.Malformed, Admit(Check(), Signed() with { Checker = "0xnope" })?.Reason);

    [Theory]
    [InlineData(CheckKind.Liveness, ProbeRpc.Ping, true)]
    [InlineData(CheckKind.Capacity, ProbeRpc.Ping, true)]
    [InlineData(CheckKind.Service, ProbeRpc.Download, true)]
    [InlineData(CheckKind.Liveness, ProbeRpc.Download, false)]
    [InlineData(CheckKind.Capacity, ProbeRpc.Capacity, true)]
    [InlineData(CheckKind.Service, ProbeRpc.Capacity, false)]
    public void Allows_CallByKind_OnlyTheCallsOfThatKind(string kind, ProbeRpc rpc, bool allowed) =>
        Assert.Equal(allowed, ProbeAdmission.Allows(kind, rpc));

    [Fact]
    public void CheckCapacityStart_OtherProducts_IsWrongWork() =>
        Assert.Equal(ProbeRefusalReason.WrongWork, ProbeAdmission.CheckCapacityStart(Check(), MatrixChallenge.SeedLength, 64, 3)?.Reason);

    [Fact]
    public void CheckCapacityStart_ShortSeed_IsMalformed() =>
        Assert.Equal(ProbeRefusalReason.Malformed, ProbeAdmission.CheckCapacityStart(Check(), 16, 64, 2)?.Reason);

    [Fact]
    public void CheckCapacityStart_SquareCheckWithoutOrWithItsInnerSize_IsAdmitted()
    {
        // A checker from before the inner size sends none (0); a newer one sends k = n.
        Assert.Null(ProbeAdmission.CheckCapacityStart(Check(), MatrixChallenge.SeedLength, 64, 2));
        Assert.Null(ProbeAdmission.CheckCapacityStart(Check(), MatrixChallenge.SeedLength, 64, 2, innerSize: 64));
    }

    [Fact]
    public void CheckCapacityStart_RectangularCheck_AdmitsOnlyTheAnnouncedInnerSize()
    {
        var check = Check() with { InnerSize = 512 };
        Assert.Null(ProbeAdmission.CheckCapacityStart(check, MatrixChallenge.SeedLength, 64, 2, innerSize: 512));
        // The square work of the same seed is 8 times less: not what was announced.
        var square = ProbeAdmission.CheckCapacityStart(check, MatrixChallenge.SeedLength, 64, 2);
        Assert.Equal(ProbeRefusalReason.WrongWork, square?.Reason);
        Assert.Contains("inner size 512", square?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCapacityStart_InnerSizeBeyondTheExactBound_IsMalformed()
    {
        var refusal = ProbeAdmission.CheckCapacityStart(Check(), MatrixChallenge.SeedLength, 64, 2, innerSize: MatrixChallenge.ExactInnerDimensionLimit);
        Assert.Equal(ProbeRefusalReason.Malformed, refusal?.Reason);
        Assert.Contains("inner size k", refusal?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckCapacityStart_NegativeInnerSize_IsMalformedNotReadAsSquare()
    {
        var refusal = ProbeAdmission.CheckCapacityStart(Check(), MatrixChallenge.SeedLength, 64, 2, innerSize: -64);
        Assert.Equal(ProbeRefusalReason.Malformed, refusal?.Reason);
        Assert.Contains("not -64", refusal?.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, 131_072, 2)]
    [InlineData(16_384, 65_537, 1)]
    [InlineData(32, 256, 0)]
    [InlineData(32, -32, 1)]
    public void AnnouncementError_CapacityWorkNoHostComputes_SaysWhy(int size, int inner, int products)
    {
        var check = Check() with { Size = size, InnerSize = inner, Products = products };
        Assert.Contains("beyond what this host computes", ProbeAdmission.AnnouncementError(check), StringComparison.Ordinal);
    }

    [Fact]
    public void AnnouncementError_SquareCapacityCheckOrALivenessCheckWithoutWork_IsKept()
    {
        Assert.Null(ProbeAdmission.AnnouncementError(Check()));
        Assert.Null(ProbeAdmission.AnnouncementError(Check(CheckKind.Liveness) with { Size = 0, Products = 0, InnerSize = -1 }));
    }

    [Fact]
    public void CheckOpenRequest_MoreThan64RowsOfOneGpu_IsRefused()
    {
        var rows = Enumerable.Range(0, ProbeAdmission.MaxOpenedRowsPerGpu + 1).Select(r => (0, 0, r % 64));
        Assert.NotNull(ProbeAdmission.CheckOpenRequest(rows, [0, 1], 64, 2));
        Assert.Null(ProbeAdmission.CheckOpenRequest(rows.Take(ProbeAdmission.MaxOpenedRowsPerGpu), [0, 1], 64, 2));
    }

    [Fact]
    public void CheckOpenRequest_GpuTheHostHasNot_IsRefused() =>
        Assert.Contains("no GPU 5", ProbeAdmission.CheckOpenRequest([(5, 0, 0)], [0, 1], 64, 2)?.Detail, StringComparison.Ordinal);
}
