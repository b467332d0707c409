using Gpunet.Core.Economics;

namespace Gpunet.Core.Tests.Economics;

public sealed class TransferCodeTests
{
    [Theory]
    [InlineData(TransferCode.Deposit, 10, "deposit")]
    [InlineData(TransferCode.UnbondingRelease, 22, "unbonding-release")]
    [InlineData(TransferCode.HostFee, 40, "host-fee")]
    [InlineData(TransferCode.ProtocolFee, 41, "protocol-fee")]
    [InlineData(TransferCode.CheckerReward, 52, "checker-reward")]
    [InlineData(TransferCode.Reward, 53, "reward")]
    [InlineData(TransferCode.VestingRelease, 60, "vesting-release")]
    [InlineData(TransferCode.Slash, 70, "slash")]
    [InlineData(TransferCode.SlaCredit, 71, "sla-credit")]
    [InlineData(TransferCode.EmissionSeed, 80, "emission-seed")]
    public void Name_StoredValueAndKebabCaseName(TransferCode code, ushort value, string name)
    {
        Assert.Equal(value, (ushort)code);
        Assert.Equal(name, code.Name());
    }

    [Fact]
    public void Name_EveryCode_DistinctLowerKebabCase()
    {
        var names = Enum.GetValues<TransferCode>().Select(c => c.Name()).ToArray();

        Assert.Equal(19, names.Length);
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z]+(-[a-z]+)*$", n));
        Assert.Equal("99", ((TransferCode)99).Name());
    }
}
