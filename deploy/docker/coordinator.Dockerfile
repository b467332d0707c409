# The coordinator image: `gpunet coordinator`, its data directory (SQLite store, token keys) on the volume /data.
#
# Users build it from the repository with the official .NET images:
#   docker build -f deploy/docker/coordinator.Dockerfile -t gpunet/coordinator .
# CI, where no registry is reachable, publishes on the machine and only copies the result onto a local base
# (.ci/install-docker makes one from Debian's packages), with the publish folder as the build context:
#   docker build -f deploy/docker/coordinator.Dockerfile --target prebuilt \
#     --build-arg RUNTIME_IMAGE=gpunet-ci/aspnet:10.0 -t gpunet/coordinator PUBLISH_DIR
# The prebuilt stage comes first so that a builder without BuildKit, which builds every stage before its target,
# never needs the SDK image.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${RUNTIME_IMAGE} AS runtime
# The official images' unprivileged user (app, uid 1654).
ARG APP_UID=1654
ENV GPUNET_HOME=/data \
    ASPNETCORE_HTTP_PORTS=""
RUN mkdir -p /data && chown "${APP_UID}:${APP_UID}" /data
VOLUME /data
USER ${APP_UID}
# REST API (people, the console, /metrics, /healthz) and agents' gRPC streams (cleartext HTTP/2).
EXPOSE 7070 7071
ENTRYPOINT ["dotnet", "/app/gpunet.dll", "coordinator"]
CMD ["--urls", "http://0.0.0.0:7070", "--agent-urls", "http://0.0.0.0:7071", "--data", "/data"]

FROM runtime AS prebuilt
COPY . /app/

FROM ${SDK_IMAGE} AS build
ARG TARGETARCH=amd64
WORKDIR /src
COPY . .
RUN dotnet publish src/Gpunet.Cli -c Release -a "${TARGETARCH}" --self-contained false -o /app

FROM runtime AS final
COPY --from=build /app /app/
