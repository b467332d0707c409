using Gpunet.Core.Ledger;

namespace Gpunet.Core.Tests.Ledger;

public sealed class TransferIdTests
{
    [Fact]
    public void ToString_ThirtyTwoLowerCaseHexDigits_ParsesBack()
    {
        var id = TransferId.FromParts(0x0123456789ABCDEF, 0xFEDCBA9876543210);
        Assert.Equal("0123456789abcdeffedcba9876543210", id.ToString());
        Assert.Equal(id, TransferId.Parse("0123456789ABCDEFFEDCBA9876543210"));
        Assert.Equal(0x0123456789ABCDEFUL, id.High);
        Assert.Equal(0xFEDCBA9876543210UL, id.Low);
        Assert.Equal("00000000000000000000000000000001", new TransferId(1).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("0123456789abcdeffedcba987654321")]
    [InlineData("0123456789abcdeffedcba98765432100")]
    [InlineData("0x23456789abcdeffedcba9876543210")]
    [InlineData("g123456789abcdeffedcba9876543210")]
    public void Parse_NotThirtyTwoHexDigits_Refused(string text)
    {
        Assert.False(TransferId.TryParse(text, out _));
        Assert.Throws<FormatException>(() => TransferId.Parse(text));
    }
}
