using Gpunet.Agent.Workloads;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>The host ports the agent gives leases: the operator's range, each port to one lease at a time.</summary>
public sealed class LeasePortPoolTests
{
    [Theory]
    [InlineData("30000-30999", 30000, 30999)]
    [InlineData("8080", 8080, 8080)]
    [InlineData("1-65535", 1, 65535)]
    public void TryParse_Range_GivesFirstAndLast(string text, int first, int last)
    {
        Assert.True(LeasePortRange.TryParse(text, out var range, out var error), error);
        Assert.Equal(new LeasePortRange(first, last), range);
        Assert.Equal(text.Contains('-', StringComparison.Ordinal) ? text : $"{text}-{text}", range.Value.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("30999-30000")]
    [InlineData("0-10")]
    [InlineData("30000-70000")]
    [InlineData("30000-")]
    [InlineData("-30000")]
    [InlineData("a-b")]
    [InlineData("+30000-30001")]
    [InlineData("30000-30001-30002")]
    public void TryParse_NotARange_SaysSo(string text)
    {
        Assert.False(LeasePortRange.TryParse(text, out var range, out var error));
        Assert.Null(range);
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rent_EveryPortOnce_ThenNone_AndAReturnedPortComesLast()
    {
        var pool = new LeasePortPool(new LeasePortRange(30000, 30002));

        Assert.Equal([30000, 30001, 30002], new[] { pool.Rent(), pool.Rent(), pool.Rent() });
        Assert.Null(pool.Rent());
        pool.Return(30001);
        pool.Return(30000);
        Assert.Equal([30001, 30000], new[] { pool.Rent(), pool.Rent() });
        Assert.Null(pool.Rent());
    }

    [Fact]
    public void RentListenable_APortSomethingListensOn_IsSkipped()
    {
        var pool = new LeasePortPool(new LeasePortRange(29430, 29431));
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 29430);
        taken.Start();

        Assert.Equal(29431, pool.RentListenable());
        Assert.Null(pool.RentListenable());
    }

    [Fact]
    public void For_OneRange_IsOnePoolInTheProcess()
    {
        var range = new LeasePortRange(29440, 29441);

        Assert.Same(LeasePortPool.For(range), LeasePortPool.For(range));
        Assert.NotSame(LeasePortPool.For(range), LeasePortPool.For(new LeasePortRange(29440, 29442)));
    }
}
