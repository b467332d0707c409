using Gpunet.Agent.Probe;
using Gpunet.Core.Verification;
using ILGPU;
using ILGPU.Runtime.CPU;

namespace Gpunet.IntegrationTests.Agent.Probe;

public sealed class MatrixProductKernelTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(40)] // not a multiple of the kernel's tile: the edge tiles load zeros (kept small: a CPU group is 256 threads)
    public void Compute_CpuAccelerator_EqualsTheCoreProduct(int n)
    {
        using var context = Context.Create(b => b.CPU(MatrixProductKernel.CpuDevice));
        using var accelerator = context.CreateCPUAccelerator(0);
        using var kernel = new MatrixProductKernel(accelerator);
        var challenge = new MatrixChallenge(Enumerable.Range(1, MatrixChallenge.SeedLength).Select(i => (byte)(i * 7)).ToArray(), n).Derive(1, 2);
        var product = new int[n * n];

        kernel.Compute(challenge.GenerateA(), challenge.GenerateB(), n, n, product);

        Assert.Equal(MatrixChallengeProduct.Compute(challenge), product);
    }

    [Theory]
    [InlineData(32, 256)]
    [InlineData(24, 40)] // neither a multiple of the tile: edge tiles of both n and k load zeros
    public void Compute_RectangularOnTheCpuAccelerator_EqualsTheCoreProduct(int n, int k)
    {
        using var context = Context.Create(b => b.CPU(MatrixProductKernel.CpuDevice));
        using var accelerator = context.CreateCPUAccelerator(0);
        using var kernel = new MatrixProductKernel(accelerator);
        var challenge = new MatrixChallenge(Enumerable.Range(1, MatrixChallenge.SeedLength).Select(i => (byte)(i * 5)).ToArray(), n, k).Derive(0, 1);
        var product = new int[n * n];

        kernel.Compute(challenge.GenerateA(), challenge.GenerateB(), n, k, product);

        Assert.Equal(MatrixChallengeProduct.Compute(challenge), product);
        // The kernel's buffers are kept per shape: a square product after the rectangular one is computed afresh.
        var square = new MatrixChallenge(challenge.Seed, n);
        kernel.Compute(square.GenerateA(), square.GenerateB(), n, n, product);
        Assert.Equal(MatrixChallengeProduct.Compute(square), product);
    }

    [Fact]
    public async Task ComputeAsync_RectangularCheckOnTheCpuAccelerator_CommitsTheRectangularProducts()
    {
        using var compute = new IlgpuCapacityCompute([0]);
        var challenge = new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 32, 256);
        var check = new AnnouncedCheck("chk_1", CheckKind.Capacity, [], DateTimeOffset.MaxValue, 32, 2, 32, 2, InnerSize: 256, TimingInnerSize: 256);

        var committed = await compute.ComputeAsync(challenge, check, CancellationToken.None);

        for (var p = 0; p < 2; p++)
            Assert.Equal(MatrixChallengeCommitment.RootOf(MatrixChallengeProduct.Compute(challenge.Derive(0, p)), 32), committed[0].Products[p].Root);
    }

    [Fact]
    public async Task ComputeAsync_NoCuda_CommitsEveryGpusProductsOnTheCpuAccelerator()
    {
        // No GPU here: ILGPU finds no CUDA device and computes on its CPU accelerator, with the same roots a checker expects.
        using var compute = new IlgpuCapacityCompute([0, 3]);
        var challenge = new MatrixChallenge(new byte[MatrixChallenge.SeedLength], 32);
        var check = new AnnouncedCheck("chk_1", CheckKind.Capacity, [], DateTimeOffset.MaxValue, 32, 2, 32, 2);

        var committed = await compute.ComputeAsync(challenge, check, CancellationToken.None);

        Assert.Equal([0, 3], committed.Select(g => g.Gpu));
        foreach (var gpu in committed)
        {
            for (var p = 0; p < 2; p++)
                Assert.Equal(MatrixChallengeCommitment.RootOf(MatrixChallengeProduct.Compute(challenge.Derive(gpu.Gpu, p)), 32), gpu.Products[p].Root);
        }
    }
}
