# The coordinator image: `gpunet coordinator`, its data directory (token keys, or an SQLite store) on the volume
# /home/app.
#
# Users build it from the repository with the official .NET images:
#   docker build -f deploy/docker/coordinator.Dockerfile -t gpunet/coordinator .
# CI, where no registry is reachable, publishes on the machine and only copies the result onto a local base
# (.ci/install-docker makes one from Debian's packages), with the publish folder as the build context:
#   docker build -f deploy/docker/coordinator.Dockerfile --target prebuilt \
#     --build-arg RUNTIME_IMAGE=gpunet-ci/aspnet:10.0 -t gpunet/coordinator PUBLISH_DIR
# The prebuilt stage comes before the SDK's, so that a builder without BuildKit, which builds every stage before its
# target, never needs the SDK image. The runtime stage and the prebuilt COPY are the same as agent.Dockerfile's, so the
# second image reuses the first's layers.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${RUNTIME_IMAGE} AS runtime
# The official images' unprivileged user, app (uid 1654). Its home, which those images create and give it, holds the
# data: no layer is written for a folder of its own (with the vfs storage driver, each layer is a full copy).
ARG APP_UID=1654
ENV GPUNET_HOME=/home/app \
    ASPNETCORE_HTTP_PORTS=""
VOLUME /home/app
USER ${APP_UID}

FROM runtime AS prebuilt
COPY . /app/
# REST API (people, the console, /metrics, /healthz) and agents' gRPC streams (cleartext HTTP/2).
EXPOSE 7070 7071
ENTRYPOINT ["dotnet", "/app/gpunet.dll", "coordinator"]
CMD ["--urls", "http://0.0.0.0:7070", "--agent-urls", "http://0.0.0.0:7071", "--data", "/home/app/data"]

FROM ${SDK_IMAGE} AS build
ARG TARGETARCH=amd64
WORKDIR /src
# The build fetches the IP location database with npm (build/GeoIp.targets) unless the context has it (artifacts/geoip).
RUN command -v npm >/dev/null || (apt-get update && apt-get install -y --no-install-recommends npm && rm -rf /var/lib/apt/lists/*)
COPY . .
# ReadyToRun: precompiled code, so a new coordinator answers after about 1.9 s of processor time, not 3.0 s (measured
# on the 2-core dev machine, fresh store); the time a coordinator is down is time no host is heard or billed.
RUN dotnet publish src/Gpunet.Cli -c Release -a "${TARGETARCH}" --self-contained false -p:PublishReadyToRun=true -o /app

FROM runtime AS final
COPY --from=build /app /app/
EXPOSE 7070 7071
ENTRYPOINT ["dotnet", "/app/gpunet.dll", "coordinator"]
CMD ["--urls", "http://0.0.0.0:7070", "--agent-urls", "http://0.0.0.0:7071", "--data", "/home/app/data"]
