using Gpunet.Core.Sanctions;

namespace Gpunet.Core.Tests.Sanctions;

public sealed class BirthDateTests
{
    [Theory]
    [InlineData("12 Jan 1960", "1960-01-12", true)]
    [InlineData("12 Jan 1960", "1960-01-13", false)]
    [InlineData("Jan 1960", "1960-01-31", true)]
    [InlineData("Jan 1960", "1960-02-01", false)]
    [InlineData("1960", "1960-12-31", true)]
    [InlineData("1960", "1961-01-01", false)]
    [InlineData("circa 1960", "1961-06-01", true)]
    [InlineData("circa 1960", "1962-06-01", false)]
    [InlineData("1958 to 1962", "1958-01-01", true)]
    [InlineData("1958 to 1962", "1963-01-01", false)]
    public void Matches_OfacDateForms_AgreeOnlyWithinWhatIsKnown(string listed, string dob, bool agrees)
    {
        var date = SdnRemarks.ParseDate(listed);

        Assert.NotNull(date);
        Assert.Equal(agrees, date.Value.Matches(DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(listed, date.Value.ToString());
    }

    [Theory]
    [InlineData("31 Feb 1960")]
    [InlineData("12 Foo 1960")]
    [InlineData("1962 to 1958")]
    [InlineData("sometime")]
    public void ParseDate_Nonsense_IsSkipped(string text) => Assert.Null(SdnRemarks.ParseDate(text));
}
