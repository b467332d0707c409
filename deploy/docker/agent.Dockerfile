# The host agent image: `gpunet agent`, its key and leases' folders on the volume /home/app. It runs simulated GPUs
# (--simulate) out of the box; with real ones, give it the GPUs (docker run --gpus all, with the NVIDIA Container
# Toolkit) and, for the Docker runtime, the engine's socket. On a GPU host the systemd unit (deploy/systemd) is the
# simpler path. The agent serves its probe endpoint with ASP.NET Core, so it runs on the aspnet image, not runtime.
#
# Users build it from the repository with the official .NET images:
#   docker build -f deploy/docker/agent.Dockerfile -t gpunet/agent .
# CI copies a publish folder onto a local base (see coordinator.Dockerfile, whose first stages this file shares):
#   docker build -f deploy/docker/agent.Dockerfile --target prebuilt \
#     --build-arg RUNTIME_IMAGE=gpunet-ci/aspnet:10.0 -t gpunet/agent PUBLISH_DIR
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${RUNTIME_IMAGE} AS runtime
ARG APP_UID=1654
ENV GPUNET_HOME=/home/app \
    ASPNETCORE_HTTP_PORTS=""
VOLUME /home/app
USER ${APP_UID}

FROM runtime AS prebuilt
COPY . /app/
ENTRYPOINT ["dotnet", "/app/gpunet.dll", "agent"]
CMD ["--simulate", "H100-SXM5-80GB:8", "--country", "DE"]

FROM ${SDK_IMAGE} AS build
ARG TARGETARCH=amd64
WORKDIR /src
# The build fetches the IP location database with npm (build/GeoIp.targets) unless the context has it (artifacts/geoip).
RUN command -v npm >/dev/null || (apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*)
COPY . .
RUN dotnet publish src/Gpunet.Cli -c Release -a "${TARGETARCH}" --self-contained false -p:PublishReadyToRun=true -o /app

FROM runtime AS final
COPY --from=build /app /app/
ENTRYPOINT ["dotnet", "/app/gpunet.dll", "agent"]
CMD ["--simulate", "H100-SXM5-80GB:8", "--country", "DE"]
