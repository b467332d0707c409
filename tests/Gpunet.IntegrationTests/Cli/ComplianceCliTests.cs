using System.Text.Json;
using Gpunet.Core.Compliance;
using Gpunet.Core.Identity;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Cli;

/// <summary><c>gpunet kyc|compliance|audit</c> as child processes: policy validation on its own, the rest against a real
/// coordinator that does not approve everyone.</summary>
public sealed class ComplianceCliTests
{
    private static string Home() => Directory.CreateTempSubdirectory("gpunet-home-").FullName;

    // The default policy with a three-letter country in blocked_host_jurisdictions, under a new version.
    private static (string Yaml, int Line) PolicyWithAnError()
    {
        var yaml = CompliancePolicyParser.DefaultYaml
            .Replace("blocked_host_jurisdictions: [", "blocked_host_jurisdictions: [ZZZ, ", StringComparison.Ordinal);
        yaml = string.Join('\n', yaml.Split('\n').Select(l => l.StartsWith("version:", StringComparison.Ordinal) ? "version: \"cli-test.1\"" : l));
        var line = yaml.Split('\n').ToList().FindIndex(l => l.StartsWith("blocked_host_jurisdictions:", StringComparison.Ordinal)) + 1;
        return (yaml, line);
    }

    [Fact]
    public async Task ValidatePolicy_FileWithAnError_PrintsItsLineAndExits1()
    {
        var home = Home();
        var (yaml, line) = PolicyWithAnError();
        var file = Path.Combine(home, "policy.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var r = await GpunetProcess.RunAsync(home, null, "compliance", "policy", "validate", file);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"line {line}: blocked_host_jurisdictions:", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("ZZZ", r.Stdout, StringComparison.Ordinal);

        var json = await GpunetProcess.RunAsync(home, null, "compliance", "policy", "validate", file, "--json");
        Assert.Equal(1, json.ExitCode);
        var view = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(view.GetProperty("valid").GetBoolean());
        var error = Assert.Single(view.GetProperty("errors").EnumerateArray());
        Assert.Equal(line, error.GetProperty("line").GetInt32());
        Assert.Equal("blocked_host_jurisdictions", error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ValidatePolicy_DefaultPolicy_IsValidAndExits0()
    {
        var home = Home();
        var file = Path.Combine(home, "policy.yaml");
        await File.WriteAllTextAsync(file, CompliancePolicyParser.DefaultYaml);

        var r = await GpunetProcess.RunAsync(home, null, "compliance", "policy", "validate", file);
        Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        Assert.Contains($"valid: version {CompliancePolicy.Default.Version}", r.Stdout, StringComparison.Ordinal);

        var json = await GpunetProcess.RunAsync(home, null, "compliance", "policy", "validate", file, "--json");
        Assert.Equal(0, json.ExitCode);
        var view = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.True(view.GetProperty("valid").GetBoolean());
        Assert.Equal(CompliancePolicy.Default.Version, view.GetProperty("version").GetString());
        Assert.Empty(view.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task ValidatePolicy_MissingFile_SaysSoAndFails()
    {
        var home = Home();
        var r = await GpunetProcess.RunAsync(home, null, "compliance", "policy", "validate", Path.Combine(home, "nowhere.yaml"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("no such file", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KycSubmit_BadLocalInput_RefusedBeforeAnythingIsSent()
    {
        // No coordinator listens here: each refusal must come before any request.
        var home = Home();
        string[] nowhere = ["--coordinator", "http://127.0.0.1:9"];
        var doc = Path.Combine(home, "doc.json");
        await File.WriteAllTextAsync(doc, "{\"kind\":\"person\"}");

        foreach (var (args, message) in new (string[] Args, string Message)[]
        {
            (["kyc", "submit", "--file", doc, "--name", "Jane Doe"], "not both"),
            (["kyc", "submit", "--file", Path.Combine(home, "missing.json")], "no such file"),
            (["kyc", "submit", "--person", "--name", "Jane Doe", "--registration", "HRB 1"], "--registration: not for a person"),
            (["kyc", "submit", "--company", "--name", "Acme GmbH", "--owner", "Jane Doe,DE"], "--owner 'Jane Doe,DE'"),
            (["kyc", "submit", "--name", "Jane Doe"], "--person (KYC) or --company (KYB)"),
        })
        {
            var r = await GpunetProcess.RunAsync(home, null, [.. args, .. nowhere]);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("cannot reach", r.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KycSubmitAndApprove_ParticipantThenOfficer_StatusApprovedAndAuditLogValid()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => { o.Compliance.ApproveAllKyc = false; });
        var home = Home();
        var wallet = Wallet.Create();
        var key = Path.Combine(home, "customer.key");
        await File.WriteAllTextAsync(key, wallet.PrivateKeyHex + "\n");
        string[] me = ["--coordinator", c.ApiUrl, "--key", key];
        string[] officer = ["--coordinator", c.ApiUrl];
        var admin = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };

        var submit = await GpunetProcess.RunAsync(home, null,
            ["kyc", "submit", "--person", "--name", "Margarethe Lindqvist", "--dob", "1980-04-01", "--country", "DE",
                "--document", "C01X00T47", "--document-country", "DE", "--json", .. me]);
        Assert.True(submit.ExitCode == 0, submit.Stderr);
        var id = JsonDocument.Parse(submit.Stdout).RootElement.GetProperty("id").GetString()!;

        var list = await GpunetProcess.RunAsync(home, admin, ["kyc", "list", "--json", .. officer]);
        Assert.True(list.ExitCode == 0, list.Stderr);
        var row = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray(), s => s.GetProperty("id").GetString() == id);
        Assert.Equal(wallet.Address.Value, row.GetProperty("address").GetString());
        Assert.Equal("Pending", row.GetProperty("state").GetString());
        Assert.Equal("Margarethe Lindqvist", row.GetProperty("legalName").GetString());

        var table = await GpunetProcess.RunAsync(home, admin, ["kyc", "list", "--state", "pending", .. officer]);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains(id, table.Stdout, StringComparison.Ordinal);

        var approve = await GpunetProcess.RunAsync(home, admin, ["kyc", "approve", id, "--reason", "documents checked", .. officer]);
        Assert.True(approve.ExitCode == 0, approve.Stderr);
        Assert.Contains("Approved", approve.Stdout, StringComparison.Ordinal);

        var status = await GpunetProcess.RunAsync(home, null, ["kyc", "status", "--json", .. me]);
        Assert.True(status.ExitCode == 0, status.Stderr);
        var mine = JsonDocument.Parse(status.Stdout).RootElement;
        Assert.Equal("Approved", mine.GetProperty("state").GetString());
        Assert.Equal(id, mine.GetProperty("submissionId").GetString());

        var verify = await GpunetProcess.RunAsync(home, admin, ["audit", "verify", "--json", .. officer]);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        var audit = JsonDocument.Parse(verify.Stdout).RootElement;
        Assert.True(audit.GetProperty("valid").GetBoolean());
        Assert.True(audit.GetProperty("entries").GetInt64() > 0, verify.Stdout);

        var valid = await GpunetProcess.RunAsync(home, admin, ["audit", "verify", .. officer]);
        Assert.True(valid.ExitCode == 0, valid.Stderr);
        Assert.Contains("valid: ", valid.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyApply_FileWithAnError_Exits1AndThePolicyInForceIsUnchanged()
    {
        await using var c = await TestCoordinator.StartAsync(configure: o => { o.Compliance.ApproveAllKyc = false; });
        var home = Home();
        string[] officer = ["--coordinator", c.ApiUrl];
        var admin = new Dictionary<string, string> { ["GPUNET_ADMIN_TOKEN"] = c.AdminToken };
        var before = await GpunetProcess.RunAsync(home, admin, ["compliance", "policy", "show", "--json", .. officer]);
        Assert.True(before.ExitCode == 0, before.Stderr);
        var version = JsonDocument.Parse(before.Stdout).RootElement.GetProperty("version").GetString();
        var (yaml, line) = PolicyWithAnError();
        var file = Path.Combine(home, "policy.yaml");
        await File.WriteAllTextAsync(file, yaml);

        var apply = await GpunetProcess.RunAsync(home, admin, ["compliance", "policy", "apply", file, .. officer]);
        Assert.Equal(1, apply.ExitCode);
        Assert.Contains($"line {line}: blocked_host_jurisdictions", apply.Stderr, StringComparison.Ordinal);
        Assert.Contains("the policy in force is unchanged", apply.Stderr, StringComparison.Ordinal);

        // `compliance policy` alone shows it too.
        var after = await GpunetProcess.RunAsync(home, admin, ["compliance", "policy", "--json", .. officer]);
        Assert.True(after.ExitCode == 0, after.Stderr);
        Assert.Equal(version, JsonDocument.Parse(after.Stdout).RootElement.GetProperty("version").GetString());
        Assert.NotEqual("cli-test.1", version);
    }
}
