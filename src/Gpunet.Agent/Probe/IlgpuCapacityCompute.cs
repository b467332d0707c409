using Gpunet.Core.Verification;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;

namespace Gpunet.Agent.Probe;

/// <summary>The capacity compute of a host with real GPUs: every product by <see cref="MatrixProductKernel"/> on the
/// GPU's own CUDA device, or on ILGPU's CPU accelerator where CUDA finds none.</summary>
/// <remarks>GPU index i runs on CUDA device i (modulo the devices CUDA lists, should it list fewer). Devices compute at
/// once; products on one device, and every GPU on the CPU accelerator, one after another. The ILGPU context is made
/// at the first check, not at start, since compiling the kernel takes a moment. One capacity run at a time.</remarks>
internal sealed class IlgpuCapacityCompute(IReadOnlyList<int> gpus) : ICapacityCompute
{
    private readonly SemaphoreSlim _one = new(1, 1);
    private Context? _context;
    private List<(Accelerator Accelerator, MatrixProductKernel Kernel)>? _devices;

    /// <summary>The device each GPU index runs on, once the first check has made them (for the log and tests).</summary>
    public IReadOnlyList<string> Devices => _devices?.Select(d => d.Kernel.Device).ToArray() ?? [];

    public async Task<IReadOnlyList<CommittedGpu>> ComputeAsync(MatrixChallenge challenge, AnnouncedCheck check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(check);
        await _one.WaitAsync(ct);
        try
        {
            var devices = Accelerators();
            var keep = CommittedProduct.Keeps(gpus.Count, check.Products, challenge.Size);
            var results = new CommittedGpu[gpus.Count];
            // GPU positions grouped by the kernel (device) they run on: one worker per device.
            var work = Enumerable.Range(0, gpus.Count).GroupBy(i => KernelOf(i, devices.Count)).Select(group => Task.Run(() =>
            {
                var kernel = devices[group.Key].Kernel;
                foreach (var position in group)
                {
                    var products = new CommittedProduct[check.Products];
                    for (var p = 0; p < products.Length; p++)
                    {
                        ct.ThrowIfCancellationRequested();
                        var derived = challenge.Derive(gpus[position], p);
                        var product = new int[derived.Size * derived.Size];
                        kernel.Compute(derived.GenerateA(), derived.GenerateB(), derived.Size, derived.InnerSize, product);
                        products[p] = CommittedProduct.Commit(derived, product, keep);
                    }

                    results[position] = new CommittedGpu(gpus[position], products);
                }
            }, ct));
            await Task.WhenAll(work);
            return results;
        }
        finally
        {
            _one.Release();
        }
    }

    // With one device per GPU each has its own; on the CPU accelerator (one device) all share it.
    private static int KernelOf(int position, int devices) => position % devices;

    private List<(Accelerator Accelerator, MatrixProductKernel Kernel)> Accelerators()
    {
        if (_devices is not null)
            return _devices;
        _context = Context.Create(b => b.Cuda().CPU(MatrixProductKernel.CpuDevice));
        var cuda = _context.GetCudaDevices();
        var accelerators = cuda.Count > 0
            ? Enumerable.Range(0, Math.Min(cuda.Count, gpus.Count)).Select(i => (Accelerator)_context.CreateCudaAccelerator(i)).ToList()
            : [_context.CreateCPUAccelerator(0)];
        _devices = [.. accelerators.Select(a => (a, new MatrixProductKernel(a)))];
        return _devices;
    }

    public void Dispose()
    {
        foreach (var (accelerator, kernel) in _devices ?? [])
        {
            kernel.Dispose();
            accelerator.Dispose();
        }

        _context?.Dispose();
        _one.Dispose();
    }
}
