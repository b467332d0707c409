using Gpunet.Cli;

return await GpunetCli.RunAsync(args);
