using Gpunet.Core.Gpus;

namespace Gpunet.Core.Tests.Gpus;

public class GpuCatalogTests
{
    public static TheoryData<string> AllModelNames() => new(GpuCatalog.All.Select(m => m.Name));

    [Fact]
    public void All_CanonicalNames_AreUniqueAndNeverAFamilyName()
    {
        var names = GpuCatalog.All.Select(m => m.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain(names, n => GpuCatalog.Families.Contains(n, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(33, names.Count);
        Assert.Equal(23, GpuCatalog.Families.Count);
    }

    [Theory]
    [InlineData("H100-SXM5-80GB", "H100", 80, "9.0", true)]
    [InlineData("H100-NVL-94GB", "H100", 94, "9.0", true)]
    [InlineData("H200-NVL-141GB", "H200", 141, "9.0", true)]
    [InlineData("B200-SXM-180GB", "B200", 180, "10.0", true)]
    [InlineData("A100-PCIe-40GB", "A100", 40, "8.0", true)]
    [InlineData("A30-24GB", "A30", 24, "8.0", true)]
    [InlineData("A10G-24GB", "A10G", 24, "8.6", true)]
    [InlineData("L40S-48GB", "L40S", 48, "8.9", true)]
    [InlineData("RTX-6000-Ada-48GB", "RTX-6000-Ada", 48, "8.9", false)]
    [InlineData("RTX-5090-32GB", "RTX-5090", 32, "12.0", false)]
    [InlineData("RTX-3090-24GB", "RTX-3090", 24, "8.6", false)]
    [InlineData("V100-PCIe-16GB", "V100", 16, "7.0", true)]
    [InlineData("T4-16GB", "T4", 16, "7.5", true)]
    public void TryGet_CanonicalName_GivesRealSpecs(string name, string family, int vramGb, string cc, bool dataCenter)
    {
        Assert.True(GpuCatalog.TryGet(name, out var model));

        Assert.Equal(family, model.Family);
        Assert.Equal(vramGb, model.VramGb);
        Assert.Equal(decimal.Parse(cc, System.Globalization.CultureInfo.InvariantCulture), model.ComputeCapability);
        Assert.Equal(dataCenter, model.DataCenter);
    }

    [Theory]
    [InlineData("h100-sxm5-80gb")]
    [InlineData("  H100-SXM5-80GB ")]
    public void TryGet_OtherCaseOrSpaces_FindsModel(string name)
    {
        Assert.True(GpuCatalog.TryGet(name, out var model));
        Assert.Equal("H100-SXM5-80GB", model.Name);
    }

    [Theory]
    [InlineData("H100")]
    [InlineData("H100-SXM5")]
    [InlineData("")]
    public void TryGet_FamilyOrUnknown_ReturnsFalse(string name)
    {
        Assert.False(GpuCatalog.TryGet(name, out var model));
        Assert.Null(model);
    }

    [Theory]
    [InlineData("H100", "H100-SXM5-80GB,H100-PCIe-80GB,H100-NVL-94GB")]
    [InlineData("h200", "H200-SXM-141GB,H200-NVL-141GB")]
    [InlineData("A100", "A100-SXM4-80GB,A100-SXM4-40GB,A100-PCIe-80GB,A100-PCIe-40GB")]
    [InlineData("L40", "L40-48GB")]
    [InlineData("L40S", "L40S-48GB")]
    [InlineData("L4", "L4-24GB")]
    [InlineData("A10", "A10-24GB")]
    [InlineData("A10G", "A10G-24GB")]
    [InlineData("H20", "H20-96GB")]
    [InlineData("H200-NVL-141GB", "H200-NVL-141GB")]
    [InlineData("V100", "V100-SXM2-32GB,V100-SXM2-16GB,V100-PCIe-16GB")]
    [InlineData("rtx-6000-ada", "RTX-6000-Ada-48GB")]
    public void Resolve_FamilyOrName_GivesExactlyItsModels(string nameOrFamily, string expected)
    {
        var names = GpuCatalog.Resolve(nameOrFamily).Select(m => m.Name);

        Assert.Equal(expected.Split(','), names);
    }

    [Theory]
    [InlineData("H1")]
    [InlineData("H100-SXM5")]
    [InlineData("RTX")]
    [InlineData("MI300X")]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_Unknown_IsEmpty(string nameOrFamily)
    {
        Assert.Empty(GpuCatalog.Resolve(nameOrFamily));
        Assert.False(GpuCatalog.IsKnown(nameOrFamily));
    }

    [Theory]
    [InlineData("H100", "H100-NVL-94GB", true)]
    [InlineData("h100", "h100-pcie-80gb", true)]
    [InlineData("H100-SXM5-80GB", "H100-SXM5-80GB", true)]
    [InlineData("H100-SXM5-80GB", "H100-PCIe-80GB", false)]
    [InlineData("H100", "H800-SXM5-80GB", false)]
    [InlineData("L40", "L40S-48GB", false)]
    [InlineData("A10", "A100-SXM4-80GB", false)]
    [InlineData("A10", "A10G-24GB", false)]
    [InlineData("H20", "H200-SXM-141GB", false)]
    [InlineData("Nope", "H100-SXM5-80GB", false)]
    public void Matches_RequestAndModel_TellsWhetherModelSatisfiesRequest(string request, string model, bool expected)
    {
        Assert.Equal(expected, GpuCatalog.Matches(request, model));
    }

    [Theory]
    [InlineData("H100", "H100-SXM5-80GB")]
    [InlineData("A100", "A100-SXM4-80GB")]
    [InlineData("H200", "H200-SXM-141GB")]
    [InlineData("V100", "V100-SXM2-32GB")]
    [InlineData("rtx-4090", "RTX-4090-24GB")]
    [InlineData("A100-PCIe-40GB", "A100-PCIe-40GB")]
    public void DefaultOf_Family_GivesMostCommonVariant(string family, string expected)
    {
        Assert.Equal(expected, GpuCatalog.DefaultOf(family).Name);
    }

    [Fact]
    public void DefaultOf_UnknownFamily_ThrowsNamingKnownFamilies()
    {
        var error = Assert.Throws<ArgumentException>(() => GpuCatalog.DefaultOf("MI300X"));

        Assert.Contains("MI300X", error.Message, StringComparison.Ordinal);
        Assert.Contains("H100", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllModelNames))]
    public void FromSmiName_EveryModelsOwnSmiNameAndMemory_GivesThatModel(string name)
    {
        Assert.True(GpuCatalog.TryGet(name, out var model));

        Assert.Equal(model, GpuCatalog.FromSmiName(model.SmiName, GpuCatalog.SmiMemoryTotalMiB(model)));
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", 81559, "H100-SXM5-80GB")]
    [InlineData("NVIDIA H100 PCIe", 81559, "H100-PCIe-80GB")]
    [InlineData("NVIDIA H100 NVL", 95830, "H100-NVL-94GB")]
    [InlineData("NVIDIA H200", 143771, "H200-SXM-141GB")]
    [InlineData("NVIDIA H200 NVL", 143771, "H200-NVL-141GB")]
    [InlineData("NVIDIA B200", 183359, "B200-SXM-180GB")]
    [InlineData("NVIDIA GH200 480GB", 97871, "GH200-96GB")]
    [InlineData("NVIDIA A100-SXM4-80GB", 81920, "A100-SXM4-80GB")]
    [InlineData("NVIDIA A100-SXM4-40GB", 40960, "A100-SXM4-40GB")]
    [InlineData("NVIDIA A100 80GB PCIe", 81920, "A100-PCIe-80GB")]
    [InlineData("NVIDIA A100-PCIE-40GB", 40960, "A100-PCIe-40GB")]
    [InlineData("NVIDIA A100-SXM-80GB", 81920, "A100-SXM4-80GB")]
    [InlineData("NVIDIA A800 80GB PCIe", 81920, "A800-PCIe-80GB")]
    [InlineData("NVIDIA H20", 97871, "H20-96GB")]
    [InlineData("NVIDIA GeForce RTX 4090", 24564, "RTX-4090-24GB")]
    [InlineData("GeForce RTX 3090", 24576, "RTX-3090-24GB")]
    [InlineData("NVIDIA L40S", 46068, "L40S-48GB")]
    [InlineData("NVIDIA L40", 46068, "L40-48GB")]
    [InlineData("NVIDIA L4", 23034, "L4-24GB")]
    [InlineData("NVIDIA A10", 23028, "A10-24GB")]
    [InlineData("NVIDIA A10G", 23028, "A10G-24GB")]
    [InlineData("NVIDIA RTX A6000", 49140, "RTX-A6000-48GB")]
    [InlineData("NVIDIA RTX 6000 Ada Generation", 49140, "RTX-6000-Ada-48GB")]
    [InlineData("Tesla V100-SXM2-32GB", 32510, "V100-SXM2-32GB")]
    [InlineData("Tesla V100-SXM2-32GB", 32768, "V100-SXM2-32GB")]
    [InlineData("Tesla V100-PCIE-16GB", 16160, "V100-PCIe-16GB")]
    [InlineData("Tesla T4", 15360, "T4-16GB")]
    [InlineData("NVIDIA T4", 15360, "T4-16GB")]
    [InlineData("nvidia  h100 80gb hbm3 ", 81559, "H100-SXM5-80GB")]
    public void FromSmiName_RealProductName_GivesCanonicalModel(string smiName, long memoryMiB, string expected)
    {
        Assert.Equal(expected, GpuCatalog.FromSmiName(smiName, memoryMiB)?.Name);
    }

    [Theory]
    [InlineData("NVIDIA A100", 40960, "A100-SXM4-40GB")]
    [InlineData("NVIDIA A100", 81920, "A100-SXM4-80GB")]
    [InlineData("Tesla V100", 16160, "V100-SXM2-16GB")]
    [InlineData("Tesla V100", 32510, "V100-SXM2-32GB")]
    [InlineData("NVIDIA H100", 95830, "H100-NVL-94GB")]
    public void FromSmiName_BareFamilyName_MemoryPicksVariant(string smiName, long memoryMiB, string expected)
    {
        Assert.Equal(expected, GpuCatalog.FromSmiName(smiName, memoryMiB)?.Name);
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", 0, "H100-SXM5-80GB")]
    [InlineData("NVIDIA A100", -1, "A100-SXM4-80GB")]
    public void FromSmiName_MemoryUnknown_NameAloneDecides(string smiName, long memoryMiB, string expected)
    {
        Assert.Equal(expected, GpuCatalog.FromSmiName(smiName, memoryMiB)?.Name);
    }

    [Theory]
    [InlineData("NVIDIA H100 80GB HBM3", 40960)] // an "80GB" card with half the memory is not one
    [InlineData("NVIDIA GH200 144G HBM3e", 146831)] // the 144 GB GH200 is not in the catalog
    [InlineData("NVIDIA GH200 480GB", 146831)]
    [InlineData("NVIDIA H200-141C", 144384)] // a vGPU profile, not a bare-metal GPU
    [InlineData("NVIDIA GeForce RTX 4080 SUPER", 16376)]
    [InlineData("NVIDIA L40SX", 46068)]
    [InlineData("NVIDIA GeForce RTX 2080", 7979)]
    [InlineData("", 81559)]
    public void FromSmiName_UnknownNameOrMemoryThatDoesNotFit_IsNull(string smiName, long memoryMiB)
    {
        Assert.Null(GpuCatalog.FromSmiName(smiName, memoryMiB));
    }
}
