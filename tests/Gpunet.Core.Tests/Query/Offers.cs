using Gpunet.Core.Gpus;

namespace Gpunet.Core.Tests.Query;

/// <summary>Sample offers for query tests.</summary>
internal static class Offers
{
    public static readonly GpuOffer H100Berlin =
        new("host-0000000000a1", "H100-SXM5-80GB", "H100", 80, 9.0m, 8, "DE", "Berlin", 2.49m);

    public static readonly GpuOffer H100Paris =
        new("host-0000000000a2", "H100-PCIE-80GB", "H100", 80, 9.0m, 2, "FR", "Ile-de-France", 2.10m);

    public static readonly GpuOffer A100Amsterdam =
        new("host-0000000000b1", "A100-SXM4-40GB", "A100", 40, 8.0m, 4, "NL", "North Holland", 1.20m);

    public static readonly GpuOffer Rtx4090Texas =
        new("host-0000000000c1", "RTX-4090", "RTX4090", 24, 8.9m, 1, "US", "Texas", 0.35m);

    public static readonly GpuOffer H200Berlin =
        new("host-0000000000d1", "H200-SXM5-141GB", "H200", 141, 9.0m, 8, "DE", "Berlin", 3.80m);

    public static readonly IReadOnlyList<GpuOffer> All = [H100Berlin, H100Paris, A100Amsterdam, Rtx4090Texas, H200Berlin];
}
