using Gpunet.Coordinator.Hosts;
using Gpunet.Core.Identity;
using Gpunet.Protocol;

namespace Gpunet.IntegrationTests.Hosts;

/// <summary>What the coordinator says back to an agent whose description of its machine is wrong.</summary>
public sealed class HostDescriptionValidatorTests
{
    private static HostDescription Valid(int gpus = 2)
    {
        var d = new HostDescription
        {
            Hostname = "gpu-box-1",
            Country = "DE",
            Region = "Hesse",
            Latitude = 50.11,
            Longitude = 8.68,
            PublicIp = "203.0.113.7",
            PriceUsdPerGpuHour = 2.25,
            DriverVersion = "550.54.15",
            CudaVersion = "12.4",
            CpuCores = 64,
            MemoryMb = 512 * 1024,
            CpuModel = "AMD EPYC 9654",
            NicMacs = { "0a:1b:2c:3d:4e:5f" },
        };
        for (var i = 0; i < gpus; i++)
            d.Gpus.Add(new GpuDescription { Index = i, Uuid = $"GPU-{i:D8}-0000-0000-0000-000000000000", Model = "H100-SXM5-80GB", SmiName = "NVIDIA H100 80GB HBM3", MemoryTotalMib = 81559 });
        d.Fingerprint = HostFingerprint.Compute(d.NicMacs, d.CpuModel, d.Gpus.Select(g => g.Uuid));
        return d;
    }

    [Fact]
    public void Validate_SameFingerprintWithAnotherGpu_NamesFingerprintAndWhatItIsOver()
    {
        // A host that keeps its identity (and stake) while reporting other GPUs: refused.
        var d = Valid();
        d.Gpus[1].Uuid = "GPU-swapped-in";
        var error = Only(d);
        Assert.StartsWith($"host.fingerprint: {d.Fingerprint[..12]}… is not the fingerprint of the reported hardware", error, StringComparison.Ordinal);
        Assert.Contains("sha256 over host.nic_macs, host.cpu_model and host.gpus[].uuid", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OtherCpuReported_NamesFingerprint()
    {
        var d = Valid();
        d.CpuModel = "Intel Xeon Platinum 8480+";
        Assert.StartsWith("host.fingerprint:", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoNicMacs_NamesNicMacsAndSaysToUpgrade()
    {
        var d = Valid();
        d.NicMacs.Clear();
        var error = Only(d);
        Assert.StartsWith("host.nic_macs: required", error, StringComparison.Ordinal);
        Assert.Contains("upgrade it", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MalformedMac_NamesTheMac()
    {
        var d = Valid();
        d.NicMacs.Add("0a-1b-2c-3d-4e-60");
        Assert.Equal("host.nic_macs[1]: '0a-1b-2c-3d-4e-60' is not a MAC address (six hex pairs separated by ':')", Only(d));
    }

    [Fact]
    public void Validate_TooManyMacs_NamesNicMacs()
    {
        var d = Valid();
        for (var i = 0; i < HostFingerprint.MaxMacs; i++)
            d.NicMacs.Add($"0a:1b:2c:3d:4e:{i:x2}");
        Assert.Equal($"host.nic_macs: at most {HostFingerprint.MaxMacs} MAC addresses", Only(d));
    }

    private static string Only(HostDescription d)
    {
        var errors = HostDescriptionValidator.Validate(d);
        return Assert.Single(errors);
    }

    [Fact]
    public void Validate_ValidDescription_NoErrors()
    {
        Assert.Empty(HostDescriptionValidator.Validate(Valid()));
    }

    [Fact]
    public void Validate_BoundaryValues_NoErrors()
    {
        var d = Valid(HostDescriptionValidator.MaxGpusPerHost);
        d.Latitude = -90;
        d.Longitude = 180;
        d.PriceUsdPerGpuHour = HostDescriptionValidator.MaxPriceUsdPerGpuHour;
        d.Region = new string('r', 64);
        d.PublicIp = "2001:db8::1";
        d.CpuCores = 0;
        d.MemoryMb = 0;
        Assert.Empty(HostDescriptionValidator.Validate(d));
    }

    [Fact]
    public void Validate_EmptyPublicIp_NoErrors()
    {
        var d = Valid();
        d.PublicIp = "";
        Assert.Empty(HostDescriptionValidator.Validate(d));
    }

    [Fact]
    public void Validate_LowerCaseCountry_NoErrors()
    {
        var d = Valid();
        d.Country = "de";
        Assert.Empty(HostDescriptionValidator.Validate(d));
    }

    [Fact]
    public void Validate_Null_HostRequired()
    {
        Assert.Equal(["host: required"], HostDescriptionValidator.Validate(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 64 upper-case
    [InlineData("gggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggggg")] // 64 non-hex
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")] // 65
    public void Validate_BadFingerprint_NamesFingerprint(string fingerprint)
    {
        var d = Valid();
        d.Fingerprint = fingerprint;
        Assert.StartsWith("host.fingerprint:", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownCountry_NamesCountryAndCode()
    {
        var d = Valid();
        d.Country = "XX";
        Assert.Equal("host.country: unknown country code 'XX'", Only(d));
    }

    [Theory]
    [InlineData("UK")] // reserved, not assigned: the United Kingdom is GB
    [InlineData("DEU")]
    [InlineData("Germany")]
    public void Validate_NotAnAlpha2Code_NamesCountry(string country)
    {
        var d = Valid();
        d.Country = country;
        Assert.Equal($"host.country: unknown country code '{country}'", Only(d));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_EmptyCountry_CountryRequired(string country)
    {
        var d = Valid();
        d.Country = country;
        Assert.StartsWith("host.country: required", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongUnknownCountry_ClipsEchoedValue()
    {
        var d = Valid();
        d.Country = new string('Z', 500);
        var error = Only(d);
        Assert.StartsWith("host.country: unknown country code 'ZZZ", error, StringComparison.Ordinal);
        Assert.True(error.Length < 100, error);
    }

    [Fact]
    public void Validate_RegionOver64Characters_NamesRegion()
    {
        var d = Valid();
        d.Region = new string('r', 65);
        Assert.Equal("host.region: at most 64 characters", Only(d));
    }

    [Theory]
    [InlineData("driver_version", 65)]
    [InlineData("cuda_version", 33)]
    [InlineData("cpu_model", 257)]
    public void Validate_ReportedTextLongerThanTheHostListShows_NamesTheField(string field, int length)
    {
        var d = Valid();
        var text = new string('v', length);
        switch (field)
        {
            case "driver_version": d.DriverVersion = text; break;
            case "cuda_version": d.CudaVersion = text; break;
            default: d.CpuModel = text; break;
        }

        Assert.Equal($"host.{field}: at most {length - 1} characters", Only(d));
    }

    [Fact]
    public void Validate_SmiNameOver128Characters_NamesTheGpu()
    {
        var d = Valid();
        d.Gpus[1].SmiName = new string('n', 129);
        Assert.Equal("host.gpus[1].smi_name: at most 128 characters", Only(d));
    }

    [Fact]
    public void Validate_HostnameOver253Characters_NamesHostname()
    {
        var d = Valid();
        d.Hostname = new string('h', 254);
        Assert.Equal("host.hostname: at most 253 characters", Only(d));
    }

    [Theory]
    [InlineData(90.0001)]
    [InlineData(-90.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_LatitudeOutOfRange_NamesLatitude(double latitude)
    {
        var d = Valid();
        d.Latitude = latitude;
        Assert.Equal("host.latitude: between -90 and 90", Only(d));
    }

    [Theory]
    [InlineData(180.5)]
    [InlineData(-181)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void Validate_LongitudeOutOfRange_NamesLongitude(double longitude)
    {
        var d = Valid();
        d.Longitude = longitude;
        Assert.Equal("host.longitude: between -180 and 180", Only(d));
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("example.com")]
    [InlineData("256.1.1.1")]
    public void Validate_BadPublicIp_NamesPublicIp(string ip)
    {
        var d = Valid();
        d.PublicIp = ip;
        Assert.Equal($"host.public_ip: '{ip}' is not an IP address", Only(d));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1000.01)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Validate_BadPrice_NamesPrice(double price)
    {
        var d = Valid();
        d.PriceUsdPerGpuHour = price;
        Assert.StartsWith("host.price_usd_per_gpu_hour:", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeCpuCores_NamesCpuAndMemory()
    {
        var d = Valid();
        d.CpuCores = -1;
        Assert.StartsWith("host.cpu_cores/memory_mb:", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NegativeMemory_NamesCpuAndMemory()
    {
        var d = Valid();
        d.MemoryMb = -1;
        Assert.StartsWith("host.cpu_cores/memory_mb:", Only(d), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoGpus_NamesGpus()
    {
        Assert.Equal("host.gpus: at least one GPU is required", Only(Valid(gpus: 0)));
    }

    [Fact]
    public void Validate_MoreThan16Gpus_NamesGpus()
    {
        Assert.Equal("host.gpus: at most 16 GPUs per host", Only(Valid(gpus: 17)));
    }

    [Theory]
    [InlineData("H200-SXM5-999GB")]
    [InlineData("H100")] // a family, not a model
    [InlineData("")]
    public void Validate_UnknownModel_NamesThatGpusModel(string model)
    {
        var d = Valid();
        d.Gpus[1].Model = model;
        Assert.Equal($"host.gpus[1].model: unknown GPU model '{model}'", Only(d));
    }

    [Fact]
    public void Validate_DuplicateIndex_NamesIndex()
    {
        var d = Valid();
        d.Gpus[1].Index = 0;
        Assert.Equal("host.gpus[0].index: duplicate or negative", Only(d));
    }

    [Fact]
    public void Validate_NegativeIndex_NamesIndex()
    {
        var d = Valid();
        d.Gpus[1].Index = -1;
        Assert.Equal("host.gpus[-1].index: duplicate or negative", Only(d));
    }

    [Fact]
    public void Validate_DuplicateUuid_NamesUuid()
    {
        var d = Valid();
        d.Gpus[1].Uuid = d.Gpus[0].Uuid;
        Assert.Equal($"host.gpus[1].uuid: '{d.Gpus[0].Uuid}' is also host.gpus[0].uuid; each GPU has its own UUID", Only(d));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_MissingUuid_NamesUuid(string uuid)
    {
        var d = Valid();
        d.Gpus[0].Uuid = uuid;
        Assert.Equal("host.gpus[0].uuid: required", Only(d));
    }

    [Fact]
    public void Validate_UuidOver64Characters_NamesUuid()
    {
        var d = Valid();
        d.Gpus[0].Uuid = "GPU-" + new string('f', 61);
        Assert.Equal("host.gpus[0].uuid: at most 64 characters", Only(d));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var d = Valid();
        d.Fingerprint = "nope";
        d.Country = "XX";
        d.Region = new string('r', 65);
        d.Latitude = 91;
        d.Longitude = double.NaN;
        d.PublicIp = "nope";
        d.PriceUsdPerGpuHour = 0;
        d.CpuCores = -4;
        d.Gpus[0].Model = "Voodoo2";
        d.Gpus[1].Index = 0;
        d.Gpus[1].Uuid = d.Gpus[0].Uuid;

        var errors = HostDescriptionValidator.Validate(d);

        string[] fields =
        [
            "host.fingerprint:", "host.country:", "host.region:", "host.latitude:", "host.longitude:", "host.public_ip:",
            "host.price_usd_per_gpu_hour:", "host.cpu_cores/memory_mb:", "host.gpus[0].model:", "host.gpus[0].index:",
            "host.gpus[0].uuid:",
        ];
        foreach (var field in fields)
            Assert.Contains(errors, e => e.StartsWith(field, StringComparison.Ordinal));
        Assert.Equal(fields.Length, errors.Count);
    }
}
