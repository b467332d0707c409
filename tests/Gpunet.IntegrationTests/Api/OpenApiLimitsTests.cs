using Gpunet.Contracts;
using Gpunet.Coordinator;

namespace Gpunet.IntegrationTests.Api;

/// <summary>The longest string a pattern matches, as the OpenAPI document states it (maxLength): exact for the forms the
/// API's patterns use, and no bound at all where the pattern has none or uses a form it does not read.</summary>
public sealed class OpenApiLimitsTests
{
    [Theory]
    [InlineData(ApiPatterns.Address, 42)]
    [InlineData(ApiPatterns.HostId, 17)]
    [InlineData(ApiPatterns.LeaseId, 18)]
    [InlineData(ApiPatterns.CheckId, 28)]
    [InlineData(ApiPatterns.Country, 2)]
    [InlineData(ApiPatterns.Month, 7)]
    [InlineData(ApiPatterns.TokenAmount, 20)]
    [InlineData(ApiPatterns.SignedTokenAmount, 21)]
    [InlineData(ApiPatterns.TransferId, 32)]
    [InlineData(ApiPatterns.Endpoint, 259)]
    [InlineData("^(0x)?[0-9a-fA-F]{130}$", 132)]
    [InlineData("^[a-z0-9-]{1,32}$", 32)]
    [InlineData(@"^a\.b(?:c|def)?[]x]$", 7)]
    [InlineData("^(ab|(c{2}|d){3})$", 6)]
    public void AnchoredBoundedPattern_HasItsLongestMatch(string pattern, int longest) =>
        Assert.Equal(longest, OpenApiLimits.LongestMatch(pattern));

    [Theory]
    [InlineData("[0-9]{3}")]          // not anchored: it matches inside any longer string
    [InlineData("^[0-9]{3}")]
    [InlineData("^a+$")]
    [InlineData("^a*b$")]
    [InlineData("^a{2,}$")]
    [InlineData(@"^(a)\1$")]          // a back-reference
    [InlineData("^(?=a)a$")]          // a look-ahead
    [InlineData("^(a$")]              // not a pattern
    [InlineData(@"^a\$")]             // an escaped $ is not an anchor
    [InlineData("^a|bcd$")]           // (^a)|(bcd$): neither alternative anchored at both ends
    [InlineData("^a{,5}$")]           // braces .NET reads as literal text
    [InlineData("^a{1,2,3}$")]
    public void UnboundedOrUnreadPattern_HasNone(string pattern) => Assert.Null(OpenApiLimits.LongestMatch(pattern));
}
