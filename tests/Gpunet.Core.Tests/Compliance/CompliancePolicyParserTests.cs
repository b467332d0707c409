using Gpunet.Core.Compliance;

namespace Gpunet.Core.Tests.Compliance;

public sealed class CompliancePolicyParserTests
{
    private const string Valid = """
        version: "2027-01"
        blocked_host_jurisdictions: [KP, ir]
        blocked_host_regions:
          - country: UA
            region: Crimea
        controlled_gpu_classes:
          - family: h100
            rule: US EAR 3A090
          - { family: RTX-4090, rule: "US EAR 3A090 (Oct 2023)" }
        restricted_customer_jurisdictions: [RU]
        restricted_parent_jurisdictions: []
        residency_zones:
          EU: [DE, FR]
          CH-only: [CH]
        """;

    [Fact]
    public void Parse_DefaultYaml_RoundTripsToTheDefaultPolicy()
    {
        var (policy, errors) = CompliancePolicyParser.Parse(CompliancePolicyParser.DefaultYaml);

        Assert.Empty(errors);
        Assert.NotNull(policy);
        var d = CompliancePolicy.Default;
        Assert.Equal(d.Version, policy.Version);
        Assert.Equal(d.BlockedHostJurisdictions, policy.BlockedHostJurisdictions);
        Assert.Equal(d.BlockedHostRegions, policy.BlockedHostRegions);
        Assert.Equal(d.ControlledGpuClasses, policy.ControlledGpuClasses);
        Assert.Equal(d.RestrictedCustomerJurisdictions, policy.RestrictedCustomerJurisdictions);
        Assert.Equal(d.RestrictedParentJurisdictions, policy.RestrictedParentJurisdictions);
        Assert.Equal(d.ResidencyZones.Select(z => z.Name), policy.ResidencyZones.Select(z => z.Name));
        Assert.Equal(d.ResidencyZones[0].Countries, policy.ResidencyZones[0].Countries);
        Assert.Equal(27, policy.ResidencyZones[0].Countries.Count);
        Assert.Equal(CompliancePolicyParser.DefaultYaml, CompliancePolicyParser.ToYaml(policy));
    }

    [Fact]
    public void Parse_ValidFile_NormalisesCodesAndFamilies()
    {
        var (policy, errors) = CompliancePolicyParser.Parse(Valid);

        Assert.Empty(errors);
        Assert.NotNull(policy);
        Assert.Equal("2027-01", policy.Version);
        Assert.Equal(["KP", "IR"], policy.BlockedHostJurisdictions);
        Assert.Equal([new BlockedRegion("UA", "Crimea")], policy.BlockedHostRegions);
        Assert.Equal([new ControlledGpuClass("H100", "US EAR 3A090"), new ControlledGpuClass("RTX-4090", "US EAR 3A090 (Oct 2023)")],
            policy.ControlledGpuClasses);
        Assert.Equal(["RU"], policy.RestrictedCustomerJurisdictions);
        Assert.Empty(policy.RestrictedParentJurisdictions);
        Assert.Equal(["EU", "CH-only"], policy.ResidencyZones.Select(z => z.Name));
        Assert.True(policy.IsControlled("H100-NVL-94GB"));
        Assert.False(policy.IsControlled("A100-SXM4-80GB"));
    }

    [Fact]
    public void ToYaml_ParsedValidFile_RoundTrips()
    {
        var policy = CompliancePolicyParser.Parse(Valid).Policy!;
        var yaml = CompliancePolicyParser.ToYaml(policy);

        var again = CompliancePolicyParser.Parse(yaml).Policy!;

        Assert.Equal(yaml, CompliancePolicyParser.ToYaml(again));
        Assert.Equal(policy.ControlledGpuClasses, again.ControlledGpuClasses);
    }

    [Fact]
    public void ToYaml_QuotesAndBackslashesInText_RoundTrip()
    {
        var policy = CompliancePolicy.Default with
        {
            Version = "v\"1\\2: #x",
            ControlledGpuClasses = [new("H100", "rule: \"quoted\" # not a comment")],
            BlockedHostRegions = [],
        };

        var again = CompliancePolicyParser.Parse(CompliancePolicyParser.ToYaml(policy)).Policy!;

        Assert.Equal(policy.Version, again.Version);
        Assert.Equal(policy.ControlledGpuClasses, again.ControlledGpuClasses);
        Assert.Empty(again.BlockedHostRegions);
    }

    [Theory]
    [InlineData("version: \"", "blocked_host_jurisdictions: [CN]", 1, "")]
    [InlineData("blocked_host_jurisdictions: [CN", "", 1, "")]
    [InlineData("version: \"\"", "", 1, "version")]
    [InlineData("colour: blue", "", 1, "colour")]
    [InlineData("blocked_host_jurisdictions: [CN, ZZ]", "", 1, "blocked_host_jurisdictions")]
    [InlineData("restricted_parent_jurisdictions:", "  - CN\n  - CN", 3, "restricted_parent_jurisdictions")]
    [InlineData("controlled_gpu_classes:", "  - { family: H100, rule: a }\n  - { family: Z9000, rule: b }", 3, "controlled_gpu_classes")]
    [InlineData("controlled_gpu_classes:", "  - family: H100", 2, "controlled_gpu_classes")]
    [InlineData("controlled_gpu_classes:", "  - { family: H100, rule: \"\" }", 2, "controlled_gpu_classes")]
    [InlineData("controlled_gpu_classes:", "  - { family: H100, rule: a }\n  - { family: h100, rule: b }", 3, "controlled_gpu_classes")]
    [InlineData("blocked_host_regions:", "  - { country: UA, region: Crimea }\n  - { country: UA, region: crimea }", 3, "blocked_host_regions")]
    [InlineData("blocked_host_regions:", "  - { country: XX, region: Crimea }", 2, "blocked_host_regions")]
    [InlineData("blocked_host_regions:", "  - { country: UA, region: Crimea, note: x }", 2, "blocked_host_regions")]
    [InlineData("residency_zones:", "  EU: [DE, QQ]", 2, "residency_zones")]
    [InlineData("residency_zones:", "  EU: [DE]\n  eu: [FR]", 3, "residency_zones")]
    public void Parse_FileWithOneError_IsRefusedWithItsLineAndField(string first, string rest, int line, string field)
    {
        // The bad lines come first; the rest of a valid file follows them, so the error's line number is known.
        var yaml = first + "\n" + (rest.Length > 0 ? rest + "\n" : "") + ValidWithout(first);

        var (policy, errors) = CompliancePolicyParser.Parse(yaml);

        Assert.Null(policy);
        var error = Assert.Single(errors);
        Assert.Equal(line, error.Line);
        Assert.Equal(field, error.Field);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_DuplicateTopLevelKey_IsRefusedWithItsLine()
    {
        var (policy, errors) = CompliancePolicyParser.Parse("version: a\n" + CompliancePolicyParser.DefaultYaml);

        // Line 1 sets the version, line 2 is the default file's comment, line 3 its own version.
        Assert.Null(policy);
        Assert.Equal(3, Assert.Single(errors).Line);
    }

    [Fact]
    public void Parse_MissingKeysAndSeveralErrors_ReportsEveryOneInLineOrder()
    {
        var (policy, errors) = CompliancePolicyParser.Parse("""
            version: v1
            blocked_host_jurisdictions: [CN, XX]
            controlled_gpu_classes:
              - { family: Nope, rule: r }
            """);

        Assert.Null(policy);
        Assert.Contains(errors, e => e is { Line: 2, Field: "blocked_host_jurisdictions" } && e.Message.Contains("XX", StringComparison.Ordinal));
        Assert.Contains(errors, e => e is { Line: 4, Field: "controlled_gpu_classes" } && e.Message.Contains("Nope", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Field == "residency_zones" && e.Message == "missing key");
        Assert.Equal(errors.OrderBy(e => e.Line).ToList(), errors);
    }

    [Theory]
    [InlineData("")]
    [InlineData("- a\n- b")]
    [InlineData("just text")]
    public void Parse_NotAMapping_IsRefused(string yaml)
    {
        var (policy, errors) = CompliancePolicyParser.Parse(yaml);

        Assert.Null(policy);
        Assert.Equal(1, Assert.Single(errors).Line);
    }

    // The default file with the key that a test's first line sets taken out, so that key appears once.
    private static string ValidWithout(string first)
    {
        var key = first.Split(':')[0];
        var lines = CompliancePolicyParser.DefaultYaml.Split('\n');
        var kept = new List<string>();
        var skipping = false;
        foreach (var line in lines)
        {
            if (line.StartsWith(key + ":", StringComparison.Ordinal))
            {
                skipping = true;
                continue;
            }

            if (skipping && line.StartsWith("  ", StringComparison.Ordinal))
                continue;
            skipping = false;
            kept.Add(line);
        }

        return string.Join('\n', kept);
    }
}
