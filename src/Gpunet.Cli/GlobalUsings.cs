global using Microsoft.AspNetCore.Builder;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.AspNetCore.Hosting;
// The REST shapes (request and response bodies) live in Gpunet.Contracts, one namespace per capability.
global using Gpunet.Contracts.Auth;
global using Gpunet.Contracts.Compliance;
global using Gpunet.Contracts.Console;
global using Gpunet.Contracts.Hosts;
global using Gpunet.Contracts.Marketplace;
global using Gpunet.Contracts.Sla;
global using Gpunet.Contracts.Wallet;
global using Gpunet.Contracts.Verification;
