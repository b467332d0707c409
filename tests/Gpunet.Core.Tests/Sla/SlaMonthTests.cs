using Gpunet.Core.Sla;

namespace Gpunet.Core.Tests.Sla;

public sealed class SlaMonthTests
{
    [Theory]
    [InlineData("2026-3")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("26-03-1")]
    [InlineData("2026/03")]
    [InlineData("+026-03")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_NotYearDashMonth_Refused(string? text) => Assert.False(SlaMonth.TryParse(text, out _));

    [Fact]
    public void TryParse_December_EndsAtNewYear()
    {
        Assert.True(SlaMonth.TryParse("2026-12", out var m));
        Assert.Equal("2026-12", m.ToString());
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), m.End);
    }

    [Fact]
    public void SoFar_CurrentMonth_EndsNow_PastMonthWhole_FutureNone()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(SlaMonth.TryParse("2026-02", out var february));
        Assert.True(SlaMonth.TryParse("2026-04", out var april));

        Assert.Equal((new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), now), SlaMonth.Of(now).SoFar(now));
        Assert.Equal((february.Start, february.End), february.SoFar(now));
        Assert.Null(april.SoFar(now));
    }

    [Fact]
    public void Of_LocalOffset_TakesTheUtcMonth() =>
        Assert.Equal("2026-02", SlaMonth.Of(new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.FromHours(1))).ToString());
}
