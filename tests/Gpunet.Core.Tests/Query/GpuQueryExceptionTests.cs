using Gpunet.Core.Query;

namespace Gpunet.Core.Tests.Query;

public class GpuQueryExceptionTests
{
    [Fact]
    public void Pointer_UnknownField_PutsCaretsUnderTheToken()
    {
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse("vram>=8 vrm>=80"));

        Assert.Equal("vram>=8 vrm>=80\n        ^^^", ex.Pointer());
    }

    [Fact]
    public void Pointer_MissingValueAtEnd_PutsOneCaretPastTheEnd()
    {
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse("vram>="));

        Assert.Equal("vram>=\n      ^", ex.Pointer());
    }

    [Fact]
    public void Pointer_QueryWithTabs_StaysAligned()
    {
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse("vram>=8\tmodel<H100"));

        Assert.Equal("vram>=8 model<H100\n             ^", ex.Pointer());
    }

    [Fact]
    public void Pointer_UnterminatedQuote_UnderlinesToTheEnd()
    {
        var ex = Assert.Throws<GpuQueryException>(() => GpuQuery.Parse("region='North"));

        Assert.Equal("region='North\n       ^^^^^^", ex.Pointer());
    }

    [Fact]
    public void Constructor_ZeroLength_IsRaisedToOne()
    {
        var ex = new GpuQueryException("bad", "abc", 3, 0);

        Assert.Equal(1, ex.Length);
        Assert.Equal("abc\n   ^", ex.Pointer());
    }
}
