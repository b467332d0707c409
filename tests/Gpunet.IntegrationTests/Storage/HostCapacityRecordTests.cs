using Gpunet.Coordinator.Storage;

namespace Gpunet.IntegrationTests.Storage;

/// <summary>The stored form of a host's free GPU shares, compared in place by the capacity reconcile: a row that holds
/// other shares, or another number of GPUs, is never taken for the matcher's.</summary>
public sealed class HostCapacityRecordTests
{
    [Theory]
    [InlineData(new[] { 1000, 500, 0 })]
    [InlineData(new[] { 1000 })]
    [InlineData(new int[0])]
    public void SameGpus_OfWhatFormatGpusWrote_IsTrue(int[] free)
    {
        var stored = HostCapacityRecord.FormatGpus(free);
        Assert.True(HostCapacityRecord.SameGpus(stored, free), stored);
        Assert.Equal(free.Length, HostCapacityRecord.GpuCount(stored));
    }

    [Theory]
    [InlineData("1000,500", new[] { 1000, 250 })] // another share
    [InlineData("1000,500", new[] { 1000 })] // more GPUs stored
    [InlineData("1000", new[] { 1000, 1000 })] // fewer GPUs stored
    [InlineData("", new[] { 1000 })]
    [InlineData("1000", new int[0])]
    [InlineData("1000,", new[] { 1000 })]
    [InlineData("10x0", new[] { 1000 })]
    public void SameGpus_OfAnotherRow_IsFalse(string stored, int[] free) =>
        Assert.False(HostCapacityRecord.SameGpus(stored, free), $"'{stored}' read as [{string.Join(',', free)}]");
}
