using System.Globalization;
using Gpunet.Agent.Workloads;
using Gpunet.IntegrationTests.Support;

namespace Gpunet.IntegrationTests.Agent.Workloads;

/// <summary>What a customer's process workload can reach on a host, tried as an attacker would (issue 11): the agent's
/// key and environment, another lease's files, every GPU, and a life beyond its lease.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProcessSandboxTests
{
    /// <summary>What <c>/</c> may hold inside the sandbox: the system's programs and libraries, and the sandbox's own.</summary>
    private static readonly string[] SandboxRoot = ["bin", "dev", "etc", "lease", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "sys", "tmp", "usr"];

    /// <summary>Variables a workload may see: the sandbox's, the agent's lease variables, the customer's MODEL, and those
    /// the shell sets itself.</summary>
    private static readonly string[] SandboxVariables =
    [
        "PATH", "HOME", "TMPDIR", "USER", "LOGNAME", "LANG", "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "GPUNET_LEASE_ID",
        "GPUNET_GPU_INDICES", "MODEL", "PWD", "OLDPWD", "SHLVL", "_",
    ];

    private static ProcessRuntime Runtime(string root, ProcessSandbox? sandbox = null, bool uidPerLease = true) =>
        new(root, TimeProvider.System, new CoreSet([0]), sandbox ?? ProcessSandbox.Find(uidPerLease && Environment.IsPrivilegedProcess, out _));

    private static async Task<List<string>> RunAsync(ProcessRuntime runtime, WorkloadSpec spec)
    {
        await using var workload = await runtime.StartAsync(spec, CancellationToken.None);
        var lines = new List<string>();
        await foreach (var line in workload.Lines.ReadAllAsync())
            lines.Add(line.Text);
        await workload.Exited;
        return lines;
    }

    /// <summary>A work root holding what an agent keeps next to its leases: its key.</summary>
    private static string RootWithAKey()
    {
        var root = ProcessProbe.Root();
        File.WriteAllText(Path.Combine(root, "agent.key"), "SECRET-OPERATOR-KEY");
        return root;
    }

    [SandboxFact]
    public async Task Workload_LooksForTheAgentsKeyAndEnvironment_FindsNeither()
    {
        var root = RootWithAKey();
        var lines = await RunAsync(Runtime(root), new WorkloadSpec("lease-thief",
            ["sh", "-c", $"cat {root}/agent.key; cat /proc/1/environ; ls {root}; echo ROOT $(ls /); echo PWD $(pwd); grep -E '^(CapEff|CapPrm|NoNewPrivs):' /proc/self/status; env"], [2],
            new Dictionary<string, string> { ["MODEL"] = "llama" }));

        Assert.DoesNotContain(lines, l => l.Contains("SECRET-OPERATOR-KEY", StringComparison.Ordinal));
        Assert.Subset(SandboxRoot.ToHashSet(), lines.Single(l => l.StartsWith("ROOT ", StringComparison.Ordinal))[5..].Split(' ').ToHashSet());
        Assert.Contains("PWD /lease", lines);
        // No capability, and no way to gain one (setuid programs do not raise it).
        Assert.Equal(["CapPrm:\t0000000000000000", "CapEff:\t0000000000000000", "NoNewPrivs:\t1"], lines.Where(l => l.StartsWith("Cap", StringComparison.Ordinal) || l.StartsWith("NoNewPrivs", StringComparison.Ordinal)));
        var variables = lines.Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith(' ')).ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Subset(SandboxVariables.ToHashSet(), variables.Keys.ToHashSet());
        Assert.Equal(("/lease", "llama", "0", "2"), (variables["HOME"], variables["MODEL"], variables["CUDA_VISIBLE_DEVICES"], variables["GPUNET_GPU_INDICES"]));
    }

    [SandboxFact]
    public async Task Workload_SystemFolders_AreTheHostsLinksAndFolders_NoneWritable()
    {
        var lines = await RunAsync(Runtime(ProcessProbe.Root()), new WorkloadSpec("lease-folders",
            ["/bin/sh", "-c", "for f in " + string.Join(' ', ProcessSandbox.SystemFolders) + "; do "
                + "if [ -L $f ]; then echo \"$f -> $(readlink $f)\"; elif [ -d $f ]; then echo \"$f folder\"; fi; done; "
                + "for f in /usr /bin /lib; do touch $f/lease-was-here 2>/dev/null && echo \"wrote $f\"; done; echo done"], []));

        // Merged /usr (Debian 12, Ubuntu): /bin is usr/bin in the sandbox as on the host; a link elsewhere is bound as a folder.
        var expected = ProcessSandbox.SystemFolders.Select(f => new DirectoryInfo(f)).Where(d => d.Exists).Select(d =>
            d.LinkTarget is { } link && Path.GetFullPath(link, "/").StartsWith("/usr/", StringComparison.Ordinal)
                ? $"{d.FullName} -> {link}"
                : $"{d.FullName} folder");
        Assert.Equal([.. expected, "done"], lines);
    }

    [SandboxFact]
    public async Task Workload_Etc_HoldsTheHostsListedEntriesOnly_AsTheHostHasThem_AndReadOnly()
    {
        var lines = await RunAsync(Runtime(ProcessProbe.Root()), new WorkloadSpec("lease-etc",
            ["sh", "-c", "echo ETC $(ls -A /etc); sha256sum /etc/passwd /etc/hosts; touch /etc/lease-was-here 2>/dev/null && echo wrote; echo done"], []));

        var listed = ProcessSandbox.EtcFiles.Where(f => Path.Exists("/etc/" + f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(listed, lines.Single(l => l.StartsWith("ETC ", StringComparison.Ordinal))[4..].Split(' ').Order(StringComparer.Ordinal));
        Assert.Contains($"{Sha256("/etc/passwd")}  /etc/passwd", lines);
        Assert.Contains($"{Sha256("/etc/hosts")}  /etc/hosts", lines);
        Assert.Equal("done", lines[^1]);
        Assert.DoesNotContain("wrote", lines);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    [SandboxFact]
    public async Task Workload_ReadsAnotherLeasesFiles_CannotAndRunsAsAnotherUid()
    {
        var root = ProcessProbe.Root();
        var runtime = Runtime(root);
        await using var tenant = await runtime.StartAsync(new WorkloadSpec("lease-tenant",
            ["sh", "-c", "echo tenant-secret > /lease/data; echo uid $(id -u); echo written; sleep 30"], []), CancellationToken.None);
        var tenantLines = new List<string>();
        await foreach (var line in tenant.Lines.ReadAllAsync())
        {
            tenantLines.Add(line.Text);
            if (line.Text == "written")
                break;
        }

        var tenantFolder = Path.Combine(root, "leases", "lease-tenant");
        var lines = await RunAsync(runtime, new WorkloadSpec("lease-snoop",
            ["sh", "-c", $"echo uid $(id -u); cat {tenantFolder}/data {tenantFolder}/output.log; ls {root}/leases; cat /lease/output.log"], []));
        await tenant.KillAsync(WorkloadKill.Stop("test over"));

        Assert.DoesNotContain(lines, l => l.Contains("tenant-secret", StringComparison.Ordinal) || l.Contains("written", StringComparison.Ordinal));
        var tenantUid = int.Parse(tenantLines.Single(l => l.StartsWith("uid ", StringComparison.Ordinal))[4..], CultureInfo.InvariantCulture);
        var snoopUid = int.Parse(lines.Single(l => l.StartsWith("uid ", StringComparison.Ordinal))[4..], CultureInfo.InvariantCulture);
        if (Environment.IsPrivilegedProcess)
        {
            // Each lease its own uid, none of them the agent's (root).
            Assert.NotEqual(tenantUid, snoopUid);
            Assert.All([tenantUid, snoopUid], uid => Assert.True(uid >= SandboxUids.DefaultFirst, $"uid {uid}"));
        }

        // On the host, each lease folder and its log are private: 0700, and output.log the agent's alone (0600).
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(Owner, File.GetUnixFileMode(Path.Combine(root, "leases")));
        Assert.Equal(Owner, File.GetUnixFileMode(tenantFolder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tenantFolder, "output.log")));
        Assert.Equal("tenant-secret\n", await File.ReadAllTextAsync(Path.Combine(tenantFolder, "data")));
    }

    [SandboxFact]
    public async Task Workload_WithLdPreload_LoadsItIntoItsOwnProgramsOnly()
    {
        // Were the customer's variables given to the sandbox's own launchers (some run as root), the loader would
        // complain once for each of them too.
        var lines = await RunAsync(Runtime(ProcessProbe.Root()), new WorkloadSpec("lease-preload", ["sh", "-c", "echo ran"], [],
            new Dictionary<string, string> { ["LD_PRELOAD"] = "/lease/gpunet-missing.so" }));

        Assert.Single(lines, l => l.Contains("gpunet-missing.so", StringComparison.Ordinal));
        Assert.Contains("ran", lines);
    }

    [SandboxFact]
    public async Task Workload_OnGpus1And5WithCudaVisibleDevicesUnset_SeesOnlyThoseGpusDeviceNodes()
    {
        // Stand-ins for the host's device nodes: eight GPUs and the driver's control nodes, each file holding its name.
        var devices = Directory.CreateTempSubdirectory("gpunet-dev-").FullName;
        foreach (var node in Enumerable.Range(0, 8).Select(i => $"nvidia{i}").Concat(["nvidiactl", "nvidia-uvm", "nvidia-caps"]))
            File.WriteAllText(Path.Combine(devices, node), node);
        var sandbox = ProcessSandbox.Find(Environment.IsPrivilegedProcess, out var reason, devices: devices) ?? throw new InvalidOperationException(reason);

        var lines = await RunAsync(Runtime(ProcessProbe.Root(), sandbox), new WorkloadSpec("lease-gpus",
            ["sh", "-c", "unset CUDA_VISIBLE_DEVICES NVIDIA_VISIBLE_DEVICES; for d in /dev/nvidia*; do echo $d $(cat $d); done"], [1, 5]));

        Assert.Equal(["/dev/nvidia-uvm nvidia-uvm", "/dev/nvidia1 nvidia1", "/dev/nvidia5 nvidia5", "/dev/nvidiactl nvidiactl"], lines.Order(StringComparer.Ordinal));
    }

    [SandboxFact]
    public async Task Workload_OnAHostWhoseDeviceMinorsDifferFromNvidiaSmisOrder_GetsTheNodesOfItsOwnGpus()
    {
        // nvidia-smi's index 0 is the GPU on the lowest PCI bus (0000:18), whose node the driver numbered nvidia3.
        var devices = Directory.CreateTempSubdirectory("gpunet-dev-").FullName;
        foreach (var node in Enumerable.Range(0, 4).Select(i => $"nvidia{i}").Concat(["nvidiactl"]))
            File.WriteAllText(Path.Combine(devices, node), node);
        var driver = Directory.CreateTempSubdirectory("gpunet-driver-").FullName;
        foreach (var (pci, minor) in new[] { ("0000:86:00.0", 0), ("0000:18:00.0", 3), ("0000:af:00.0", 1), ("0000:3b:00.0", 2) })
        {
            Directory.CreateDirectory(Path.Combine(driver, pci));
            File.WriteAllText(Path.Combine(driver, pci, "information"), $"Model: \t\t NVIDIA H100\nIRQ:   \t\t 42\nDevice Minor: \t {minor}\nBus Location: \t {pci}\n");
        }

        var sandbox = ProcessSandbox.Find(Environment.IsPrivilegedProcess, out var reason, devices: devices, driverInfo: driver)
            ?? throw new InvalidOperationException(reason);
        var lines = await RunAsync(Runtime(ProcessProbe.Root(), sandbox), new WorkloadSpec("lease-minors",
            ["sh", "-c", "for d in /dev/nvidia*; do echo $d $(cat $d); done"], [0, 2]));

        // Index 0 → 0000:18 → nvidia3; index 2 → 0000:86 → nvidia0.
        Assert.Equal(["/dev/nvidia0 nvidia0", "/dev/nvidia3 nvidia3", "/dev/nvidiactl nvidiactl"], lines.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DeviceMinors_InformationWithoutAMinor_IsRefusedRatherThanGuessed()
    {
        var e = Assert.Throws<FormatException>(() => NvidiaDeviceMinors.FromInformation([("0000:18:00.0", "Model: NVIDIA H100\n")]));
        Assert.Contains("0000:18:00.0", e.Message, StringComparison.Ordinal);
        Assert.Empty(NvidiaDeviceMinors.Read(Path.Combine(Path.GetTempPath(), "gpunet-no-driver-here")));
        Assert.Equal("nvidia5", NvidiaDeviceMinors.NodeName(new Dictionary<int, int>(), 5));
    }

    [SandboxFact]
    public async Task Workload_ConnectingToThisHostsServices_IsRefused_WhileItsOwnServiceStillAnswers()
    {
        var runtime = Runtime(ProcessProbe.Root());
        if (runtime.Isolation != ProcessIsolation.UidPerLease)
            return; // As another user the sandbox has no uid of its own to filter by; the agent says so at start.
        Assert.Null(runtime.EnsureEgressFilter());

        // A service of the host's (the agent's, a coordinator's) on loopback and on this machine's own address.
        using var local = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        local.Start();
        var port = ((System.Net.IPEndPoint)local.LocalEndpoint).Port;
        var lines = await RunAsync(runtime, new WorkloadSpec("lease-egress", ["bash", "-c",
            $"for a in 127.0.0.1 169.254.169.254; do (echo > /dev/tcp/$a/{port}) 2>/dev/null && echo \"$a reached\" || echo \"$a refused\"; done"], []));

        Assert.Equal(["127.0.0.1 refused", "169.254.169.254 refused"], lines);
        Assert.False(local.Pending(), "the host's service saw a connection from the lease");

        // A lease's own service still answers whoever connects to it: only connections the lease opens are refused.
        var service = await runtime.StartAsync(new WorkloadSpec("lease-service", ["bash", "-c",
            "python3 -c 'import socket;s=socket.socket();s.bind((\"127.0.0.1\",0));s.listen();print(s.getsockname()[1],flush=True);c,_=s.accept();c.sendall(b\"hello\\n\")' 2>&1 || echo no-python"], []), CancellationToken.None);
        await using (service)
        {
            var first = await service.Lines.ReadAsync();
            if (first.Text == "no-python")
                return;
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, int.Parse(first.Text, CultureInfo.InvariantCulture));
            using var reader = new StreamReader(client.GetStream());
            Assert.Equal("hello", await reader.ReadLineAsync());
        }
    }

    [SandboxFact]
    public async Task Start_LeaseFolderThatIsALinkOut_IsRefusedAndTheTargetUntouched()
    {
        // Whoever could write in the work folder points a lease's folder elsewhere before it starts.
        var root = ProcessProbe.Root();
        var outside = Directory.CreateTempSubdirectory("gpunet-outside-").FullName;
        File.SetUnixFileMode(outside, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Directory.CreateDirectory(Path.Combine(root, "leases"));
        Directory.CreateSymbolicLink(Path.Combine(root, "leases", "lease-link"), outside);

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Runtime(root).StartAsync(new WorkloadSpec("lease-link", ["true"], []), CancellationToken.None));

        Assert.Contains("is a link", e.Message, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(outside));
    }

    [SandboxFact]
    public async Task Workload_StartedFromAThreadThatThenEnds_LivesOn()
    {
        // bubblewrap dies with the thread that forked it (the parent-death signal follows threads): a workload started
        // from a pool thread the pool later retires must not be killed with it.
        var runtime = Runtime(ProcessProbe.Root());
        IRunningWorkload? workload = null;
        var starter = new Thread(() =>
        {
            workload = runtime.StartAsync(new WorkloadSpec("lease-thread", ["sh", "-c", "sleep 1; echo alive"], []), CancellationToken.None)
                .GetAwaiter().GetResult();
            Thread.Sleep(300); // ends once bubblewrap is up and has asked for the signal
        });
        starter.Start();
        starter.Join();

        await using var running = workload!;
        var lines = new List<string>();
        await foreach (var line in running.Lines.ReadAllAsync())
            lines.Add(line.Text);
        Assert.Equal(0, await running.Exited);
        Assert.Equal(["alive"], lines);
    }

    [Fact]
    public void EgressRules_RefuseNewConnectionsOfLeaseUidsOnly_ToThisHostAndLocalNetworks()
    {
        var rules = LeaseEgressFilter.Rules(2_000_000_000, 2_000_065_535, LeaseEgressFilter.DeniedNetworks);

        Assert.Contains("meta skuid != 2000000000-2000065535 accept", rules, StringComparison.Ordinal);
        Assert.Contains("ct state established,related accept", rules, StringComparison.Ordinal);
        Assert.Contains("fib daddr type local reject", rules, StringComparison.Ordinal);
        Assert.True(rules.IndexOf("th dport 53 accept", StringComparison.Ordinal) < rules.IndexOf("reject", StringComparison.Ordinal),
            "name resolution passes before the refusals (the resolver is often on this host)");
        Assert.Contains("ip daddr { 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 169.254.0.0/16, 172.16.0.0/12, 192.168.0.0/16 } reject", rules, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr { fc00::/7, fe80::/10 } reject", rules, StringComparison.Ordinal);
        // Exemptions come before refusals: a rule order that refused first would cut every lease's replies.
        Assert.True(rules.IndexOf("established", StringComparison.Ordinal) < rules.IndexOf("reject", StringComparison.Ordinal));
    }

    [SandboxFact]
    public async Task Workload_StartsProcessesThatDetach_NoneOutlivesTheLease()
    {
        var lines = await RunAsync(Runtime(ProcessProbe.Root()), new WorkloadSpec("lease-linger",
            ["sh", "-c", "setsid sleep 300.0303 & nohup sleep 300.0304 >/dev/null 2>&1 & sleep 0.2; echo detached"], []));

        Assert.Equal(["detached"], lines);
        await Eventually.Async(() => Task.FromResult<string?>(ProcessProbe.WithArgument("300.0303").Concat(ProcessProbe.WithArgument("300.0304")).Any() ? "alive" : "gone"),
            s => s == "gone", "the detached processes to end with the lease");
    }

    [SandboxFact]
    public async Task Workload_InAUserNamespace_SeesNothingOfTheAgentEither()
    {
        // How an agent not run as root sandboxes: the workload is the agent's user, in a user namespace.
        var root = RootWithAKey();
        var lines = await RunAsync(Runtime(root, uidPerLease: false), new WorkloadSpec("lease-userns",
            ["sh", "-c", $"cat {root}/agent.key; echo ROOT $(ls /); echo kept > /lease/file && echo wrote"], []));

        Assert.DoesNotContain(lines, l => l.Contains("SECRET-OPERATOR-KEY", StringComparison.Ordinal));
        Assert.Subset(SandboxRoot.ToHashSet(), lines.Single(l => l.StartsWith("ROOT ", StringComparison.Ordinal))[5..].Split(' ').ToHashSet());
        Assert.Contains("wrote", lines);
        Assert.True(File.Exists(Path.Combine(root, "leases", "lease-userns", "file")));
    }

    [SandboxFact]
    public async Task Start_ProgramOutsideTheSandboxesFolders_IsRefusedSayingWhatItSees()
    {
        var root = RootWithAKey();
        var program = Path.Combine(root, "tool");
        File.WriteAllText(program, "#!/bin/sh\necho ran\n");
        File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        foreach (var path in new[] { program, "/usr/.." + program })
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Runtime(root).StartAsync(new WorkloadSpec("lease-tool", [path], []), CancellationToken.None));
            Assert.Equal($"could not start '{path}': no such program in the sandbox, which sees only /usr, /bin, /sbin, /lib, /lib32, /lib64, /libx32 and its lease folder", e.Message);
        }
    }

    [Fact]
    public async Task Start_WithoutBubblewrap_IsRefusedSayingHowToInstallItOrOptOut()
    {
        var sandbox = ProcessSandbox.Find(true, out var missing, bubblewrap: "gpunet-no-such-bwrap");
        var runtime = new ProcessRuntime(ProcessProbe.Root(), TimeProvider.System, new CoreSet([0]), sandbox, missing);

        Assert.False(runtime.IsAvailable(out var reason));
        Assert.Null(runtime.Isolation);
        Assert.Contains("bubblewrap ('gpunet-no-such-bwrap') is not installed: install it (Debian: apt-get install bubblewrap)", reason, StringComparison.Ordinal);
        Assert.Contains("--unsafe-process-runtime", reason, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.StartAsync(new WorkloadSpec("lease-x", ["true"], []), CancellationToken.None));
        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public async Task Start_WithoutBubblewrapButUnsafeAllowed_RunsAsTheAgentInItsFolder()
    {
        var root = ProcessProbe.Root();
        var sandbox = ProcessSandbox.Find(true, out var missing, bubblewrap: "gpunet-no-such-bwrap");
        var runtime = new ProcessRuntime(root, TimeProvider.System, new CoreSet([0]), sandbox, missing) { AllowUnsandboxed = true };

        Assert.True(runtime.IsAvailable(out _));
        Assert.Equal(ProcessIsolation.None, runtime.Isolation);
        Assert.Equal([Path.Combine(root, "leases", "lease-unsafe")], await RunAsync(runtime, new WorkloadSpec("lease-unsafe", ["pwd"], [])));
    }

    [Theory]
    [InlineData("A=B")]
    [InlineData("")]
    public async Task Start_EnvironmentNameThatCannotBeSet_IsRefusedAndRunsNothing(string name)
    {
        var root = ProcessProbe.Root();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Runtime(root).StartAsync(
            new WorkloadSpec("lease-env", ["true"], [], new Dictionary<string, string> { [name] = "x" }), CancellationToken.None));
        Assert.StartsWith("environment: ", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "leases")));
    }
}
