using System.Globalization;
using System.Text;
using Gpunet.Core.Geography;
using Gpunet.Core.Gpus;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gpunet.Core.Compliance;

/// <summary>Reads a <see cref="CompliancePolicy"/> from YAML, refusing it with every error and its line, and writes
/// one back.</summary>
/// <remarks>Every key is required, so that a typo cannot silently empty a list of blocked jurisdictions. The file:
/// <code>
/// version: "2026-11-25.1"
/// blocked_host_jurisdictions: [CN, CU, IR, KP, SY]
/// blocked_host_regions:
///   - { country: UA, region: "Crimea" }
/// controlled_gpu_classes:
///   - { family: H100, rule: "US EAR 3A090 / ECCN 4A090 (Oct 2023)" }
/// restricted_customer_jurisdictions: [CN, CU, IR, KP, SY, RU, BY]
/// restricted_parent_jurisdictions: [CN, CU, IR, KP, SY, RU, BY]
/// residency_zones:
///   "EU": [AT, BE, BG]
/// </code></remarks>
public static class CompliancePolicyParser
{
    private const string VersionKey = "version";
    private const string BlockedJurisdictionsKey = "blocked_host_jurisdictions";
    private const string BlockedRegionsKey = "blocked_host_regions";
    private const string ControlledKey = "controlled_gpu_classes";
    private const string RestrictedCustomersKey = "restricted_customer_jurisdictions";
    private const string RestrictedParentsKey = "restricted_parent_jurisdictions";
    private const string ResidencyZonesKey = "residency_zones";

    private static readonly string[] Keys =
    [
        VersionKey, BlockedJurisdictionsKey, BlockedRegionsKey, ControlledKey, RestrictedCustomersKey,
        RestrictedParentsKey, ResidencyZonesKey,
    ];

    /// <summary>The YAML text of <see cref="CompliancePolicy.Default"/>, as <c>gpunet compliance policy show</c> prints it.</summary>
    public static string DefaultYaml { get; } = ToYaml(CompliancePolicy.Default);

    /// <summary>Parses a policy file; a policy with any error is null, and every error found is returned.</summary>
    public static (CompliancePolicy? Policy, IReadOnlyList<PolicyError> Errors) Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        if (SyntaxError(yaml) is { } syntax)
            return (null, [syntax]);
        var stream = new YamlStream();
        try
        {
            using var reader = new StringReader(yaml);
            stream.Load(reader);
        }
        catch (YamlException e)
        {
            // Well-formed YAML that the document model refuses, e.g. a duplicate key.
            var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            return (null, [new PolicyError(LineOf(e.Start), "", message)]);
        }

        var errors = new List<PolicyError>();
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var line = stream.Documents.Count > 0 ? LineOf(stream.Documents[0].RootNode.Start) : 1;
            return (null, [new PolicyError(line, "", "a policy is one YAML document holding a mapping of keys")]);
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in root.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!Keys.Contains(key, StringComparer.Ordinal))
                errors.Add(new(LineOf(keyNode.Start), key, $"unknown key '{key}'; known keys: {string.Join(", ", Keys)}"));
            else
                values[key] = value;
        }

        foreach (var key in Keys.Where(k => !values.ContainsKey(k)))
            errors.Add(new(LineOf(root.Start), key, "missing key"));

        var version = values.TryGetValue(VersionKey, out var v) ? ReadVersion(v, errors) : "";
        var blocked = CountryList(values, BlockedJurisdictionsKey, errors);
        var regions = ReadRegions(values, errors);
        var classes = ReadControlledClasses(values, errors);
        var customers = CountryList(values, RestrictedCustomersKey, errors);
        var parents = CountryList(values, RestrictedParentsKey, errors);
        var zones = ReadZones(values, errors);

        if (errors.Count > 0)
            return (null, [.. errors.OrderBy(e => e.Line)]);
        return (new CompliancePolicy(version, blocked, regions, classes, customers, parents, zones), []);
    }

    /// <summary>Writes <paramref name="policy"/> as YAML that <see cref="Parse"/> reads back to an equal policy.</summary>
    public static string ToYaml(CompliancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var sb = new StringBuilder();
        sb.Append("# Gpunet compliance policy: geofence and export controls.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{VersionKey}: {Quote(policy.Version)}\n");
        sb.Append("# Countries where no GPU may be onboarded.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{BlockedJurisdictionsKey}: {Flow(policy.BlockedHostJurisdictions)}\n");
        sb.Append("# Regions where no GPU may be onboarded.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{BlockedRegionsKey}:{(policy.BlockedHostRegions.Count == 0 ? " []" : "")}\n");
        foreach (var r in policy.BlockedHostRegions)
            sb.Append(CultureInfo.InvariantCulture, $"  - {{ country: {r.Country}, region: {Quote(r.Region)} }}\n");
        sb.Append("# Export-controlled GPU families (catalog family names) and the rule each comes from.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{ControlledKey}:{(policy.ControlledGpuClasses.Count == 0 ? " []" : "")}\n");
        foreach (var c in policy.ControlledGpuClasses)
            sb.Append(CultureInfo.InvariantCulture, $"  - {{ family: {Quote(c.Family)}, rule: {Quote(c.Rule)} }}\n");
        sb.Append("# Customer countries, and parent-company countries, that may not rent a controlled class anywhere.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{RestrictedCustomersKey}: {Flow(policy.RestrictedCustomerJurisdictions)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"{RestrictedParentsKey}: {Flow(policy.RestrictedParentJurisdictions)}\n");
        sb.Append("# Data-residency choices a customer can ask for: zone name -> countries.\n");
        sb.Append(CultureInfo.InvariantCulture, $"{ResidencyZonesKey}:{(policy.ResidencyZones.Count == 0 ? " {}" : "")}\n");
        foreach (var z in policy.ResidencyZones)
            sb.Append(CultureInfo.InvariantCulture, $"  {Quote(z.Name)}: {Flow(z.Countries)}\n");
        return sb.ToString();
    }

    private static string Flow(IReadOnlyList<string> codes) => $"[{string.Join(", ", codes)}]";

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    // Reads the event stream alone so that a syntax error gets a line even where YamlDotNet 18.1 throws
    // InvalidOperationException instead of YamlException (an unclosed flow sequence at the end of the text).
    private static PolicyError? SyntaxError(string yaml)
    {
        using var reader = new StringReader(yaml);
        var parser = new Parser(reader);
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
                last = parser.Current?.End ?? last;
            return null;
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message;
            return new(LineOf(e.Start), "", message);
        }
        catch (InvalidOperationException)
        {
            return new(Math.Max(1, LineOf(last)), "", "malformed YAML after this line (an unclosed bracket or quote?)");
        }
    }

    private static int LineOf(Mark mark) => (int)mark.Line;

    private static string ReadVersion(YamlNode node, List<PolicyError> errors)
    {
        var value = Scalar(node, VersionKey, errors)?.Trim() ?? "";
        if (value.Length == 0 && node is YamlScalarNode)
            errors.Add(new(LineOf(node.Start), VersionKey, "the version must not be empty"));
        return value;
    }

    private static string? Scalar(YamlNode node, string field, List<PolicyError> errors)
    {
        if (node is YamlScalarNode s)
            return s.Value ?? "";
        errors.Add(new(LineOf(node.Start), field, "expected a single value"));
        return null;
    }

    private static IReadOnlyList<YamlNode> Sequence(Dictionary<string, YamlNode> values, string field, List<PolicyError> errors)
    {
        if (!values.TryGetValue(field, out var node))
            return [];
        if (node is YamlSequenceNode seq)
            return [.. seq.Children];
        errors.Add(new(LineOf(node.Start), field, "expected a list"));
        return [];
    }

    private static List<string> CountryList(Dictionary<string, YamlNode> values, string field, List<PolicyError> errors) =>
        Countries(Sequence(values, field, errors), field, errors);

    private static List<string> Countries(IEnumerable<YamlNode> nodes, string field, List<PolicyError> errors)
    {
        var codes = new List<string>();
        foreach (var node in nodes)
        {
            if (Country(node, field, errors) is not { } code)
                continue;
            if (codes.Contains(code, StringComparer.Ordinal))
                errors.Add(new(LineOf(node.Start), field, $"duplicate entry '{code}'"));
            else
                codes.Add(code);
        }

        return codes;
    }

    private static string? Country(YamlNode node, string field, List<PolicyError> errors)
    {
        if (Scalar(node, field, errors) is not { } text)
            return null;
        if (CountryCode.TryParse(text, out var code, out var error))
            return code.Value;
        errors.Add(new(LineOf(node.Start), field, error));
        return null;
    }

    private static Dictionary<string, (YamlNode Value, Mark At)>? Fields(YamlNode node, string field, string[] keys, List<PolicyError> errors)
    {
        if (node is not YamlMappingNode map)
        {
            errors.Add(new(LineOf(node.Start), field, $"expected a mapping with {string.Join(" and ", keys)}"));
            return null;
        }

        var found = new Dictionary<string, (YamlNode, Mark)>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (keys.Contains(key, StringComparer.Ordinal))
                found[key] = (v, k.Start);
            else
                errors.Add(new(LineOf(k.Start), field, $"unknown key '{key}'; expected {string.Join(" and ", keys)}"));
        }

        foreach (var key in keys.Where(k => !found.ContainsKey(k)))
            errors.Add(new(LineOf(map.Start), field, $"missing '{key}'"));
        return found;
    }

    private static List<BlockedRegion> ReadRegions(Dictionary<string, YamlNode> values, List<PolicyError> errors)
    {
        var regions = new List<BlockedRegion>();
        foreach (var node in Sequence(values, BlockedRegionsKey, errors))
        {
            if (Fields(node, BlockedRegionsKey, ["country", "region"], errors) is not { } f
                || !f.TryGetValue("country", out var c) || !f.TryGetValue("region", out var r))
                continue;
            var country = Country(c.Value, BlockedRegionsKey, errors);
            var region = Scalar(r.Value, BlockedRegionsKey, errors)?.Trim();
            if (region is { Length: 0 })
                errors.Add(new(LineOf(r.Value.Start), BlockedRegionsKey, "the region name must not be empty"));
            if (country is null || string.IsNullOrEmpty(region))
                continue;
            if (regions.Any(x => x.Country == country && string.Equals(x.Region, region, StringComparison.OrdinalIgnoreCase)))
                errors.Add(new(LineOf(node.Start), BlockedRegionsKey, $"duplicate entry '{country} {region}'"));
            else
                regions.Add(new(country, region));
        }

        return regions;
    }

    private static List<ControlledGpuClass> ReadControlledClasses(Dictionary<string, YamlNode> values, List<PolicyError> errors)
    {
        var classes = new List<ControlledGpuClass>();
        foreach (var node in Sequence(values, ControlledKey, errors))
        {
            if (Fields(node, ControlledKey, ["family", "rule"], errors) is not { } f || !f.TryGetValue("family", out var fam))
                continue;
            var name = Scalar(fam.Value, ControlledKey, errors)?.Trim();
            var family = GpuCatalog.Families.FirstOrDefault(x => string.Equals(x, name, StringComparison.OrdinalIgnoreCase));
            if (name is not null && family is null)
            {
                errors.Add(new(LineOf(fam.Value.Start), ControlledKey,
                    $"unknown GPU family '{name}'; known families: {string.Join(", ", GpuCatalog.Families)}"));
            }

            string? rule = null;
            if (f.TryGetValue("rule", out var r))
            {
                rule = Scalar(r.Value, ControlledKey, errors)?.Trim();
                if (rule is { Length: 0 })
                    errors.Add(new(LineOf(r.Value.Start), ControlledKey, $"the rule for '{name}' must not be empty: name the regulation it comes from"));
            }

            if (family is null || string.IsNullOrEmpty(rule))
                continue;
            if (classes.Any(x => x.Family == family))
                errors.Add(new(LineOf(node.Start), ControlledKey, $"duplicate entry '{family}'"));
            else
                classes.Add(new(family, rule));
        }

        return classes;
    }

    private static List<ResidencyZone> ReadZones(Dictionary<string, YamlNode> values, List<PolicyError> errors)
    {
        var zones = new List<ResidencyZone>();
        if (!values.TryGetValue(ResidencyZonesKey, out var node))
            return zones;
        if (node is not YamlMappingNode map)
        {
            errors.Add(new(LineOf(node.Start), ResidencyZonesKey, "expected a mapping of zone names to country lists"));
            return zones;
        }

        foreach (var (k, v) in map.Children)
        {
            var name = Scalar(k, ResidencyZonesKey, errors)?.Trim();
            if (name is { Length: 0 })
                errors.Add(new(LineOf(k.Start), ResidencyZonesKey, "the zone name must not be empty"));
            List<string> countries = [];
            if (v is YamlSequenceNode seq)
                countries = Countries(seq.Children, ResidencyZonesKey, errors);
            else
                errors.Add(new(LineOf(v.Start), ResidencyZonesKey, $"zone '{name}': expected a list of countries"));
            if (string.IsNullOrEmpty(name))
                continue;
            if (zones.Any(z => string.Equals(z.Name, name, StringComparison.OrdinalIgnoreCase)))
                errors.Add(new(LineOf(k.Start), ResidencyZonesKey, $"duplicate entry '{name}'"));
            else
                zones.Add(new(name, countries));
        }

        return zones;
    }
}
