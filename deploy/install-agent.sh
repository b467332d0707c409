#!/usr/bin/env bash
# Installs the Gpunet host agent as a systemd service on a GPU host. Idempotent: run it again to change its settings.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: install-agent.sh --from DIR --coordinator URL[,URL...] --country CC [options] [-- AGENT OPTIONS...]

Installs `gpunet` from a publish folder, creates the system user gpunet, writes /etc/gpunet/agent.env and the
systemd unit gpunet-agent.service, then enables and starts it. Run as root. Check the host first with
`gpunet doctor --coordinator URL`.

  --from DIR            a publish folder of gpunet: self-contained (dotnet publish src/Gpunet.Cli -c Release
                        -r linux-x64 --self-contained -p:PublishReadyToRun=true -o DIR; ReadyToRun code starts
                        without most of the JIT's work) or framework-dependent (needs the .NET 10 runtime)
  --coordinator URLS    the coordinator's URL, or several separated by commas (the agent fails over between them)
  --country CC          the host's country, ISO 3166-1 alpha-2 (declared; the coordinator verifies it)
  --key FILE            the operator's wallet key, copied to /var/lib/gpunet/agent.key (mode 600); without it the
                        agent creates one at its first start (print its address: gpunet keys ... or the agent's log)
  --user NAME           the user the agent runs as (default gpunet; added to the docker group when there is one)
  --no-start            install and enable, but do not start now
  --root DIR            install into DIR as if it were / (for images and tests): no user, no systemctl
  -h, --help            this help
  -- AGENT OPTIONS      passed to `gpunet agent` as they are, e.g. -- --price 2.5 --lease-ports 31000-31999

Example:
  sudo deploy/install-agent.sh --from ./gpunet-linux-x64 --coordinator https://coord.example:7070 --country DE \
    --key ./operator.key -- --price 2.4
USAGE
}

die() { echo "install-agent: $*" >&2; exit 2; }

from="" coordinator="" country="" key="" user=gpunet start=true root=""
agent_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from=${2:?--from needs a folder}; shift 2 ;;
    --coordinator) coordinator=${2:?--coordinator needs a URL}; shift 2 ;;
    --country) country=${2:?--country needs a code}; shift 2 ;;
    --key) key=${2:?--key needs a file}; shift 2 ;;
    --user) user=${2:?--user needs a name}; shift 2 ;;
    --no-start) start=false; shift ;;
    --root) root=${2:?--root needs a folder}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; agent_args=("$@"); break ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[ -n "$from" ] || die "--from: required (a publish folder of gpunet; see --help)"
[ -f "$from/gpunet.dll" ] || die "--from $from: no gpunet.dll there (publish src/Gpunet.Cli into it)"
[ -n "$coordinator" ] || die "--coordinator: required"
IFS=',' read -ra urls <<< "$coordinator"
for url in "${urls[@]}"; do
  [[ "$url" =~ ^https?://[^[:space:]/]+ ]] || die "--coordinator: '$url' is not an http(s) URL"
done
[[ "$country" =~ ^[A-Za-z]{2}$ ]] || die "--country: two letters (ISO 3166-1 alpha-2, e.g. DE)"
[ -z "$key" ] || [ -f "$key" ] || die "--key $key: no such file"
[[ "$user" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--user: '$user' is not a user name"
for arg in "${agent_args[@]}"; do
  # The env file hands the options to systemd, which splits them at white space.
  [[ "$arg" =~ [[:space:]\"\'\\] ]] && die "agent option '$arg': no spaces, quotes or backslashes"
done
if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
  die "run as root (or with --root DIR)"
fi

here=$(cd "$(dirname "$0")" && pwd)
prefix="$root/opt/gpunet"
home="$root/var/lib/gpunet"

# The program: a fresh copy each time, so a file removed from a newer release does not linger.
mkdir -p "$prefix" "$root/usr/local/bin" "$root/etc/gpunet" "$root/etc/systemd/system" "$home"
rm -rf "$prefix.new"
cp -a "$from/." "$prefix.new/"
rm -rf "$prefix"
mv "$prefix.new" "$prefix"
if [ -x "$prefix/gpunet" ]; then
  ln -sfn /opt/gpunet/gpunet "$root/usr/local/bin/gpunet"
else
  # Framework-dependent: run through the installed .NET runtime.
  printf '#!/bin/sh\nexec dotnet /opt/gpunet/gpunet.dll "$@"\n' > "$root/usr/local/bin/gpunet.tmp"
  chmod 755 "$root/usr/local/bin/gpunet.tmp"
  mv "$root/usr/local/bin/gpunet.tmp" "$root/usr/local/bin/gpunet"
fi

if [ -z "$root" ]; then
  if ! id "$user" >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/gpunet --shell /usr/sbin/nologin "$user"
  fi
  # The Docker runtime talks to the engine's socket.
  if getent group docker >/dev/null; then
    usermod -aG docker "$user"
  fi
fi

if [ -n "$key" ]; then
  install -m 600 "$key" "$home/agent.key"
fi
if [ -z "$root" ]; then
  chown -R "$user:$user" "$home"
fi
chmod 700 "$home"

env_file="$root/etc/gpunet/agent.env"
{
  echo "# Written by deploy/install-agent.sh; run it again to change these."
  echo "GPUNET_HOME=/var/lib/gpunet"
  echo "GPUNET_AGENT_ARGS=--coordinator $coordinator --country ${country^^} --key /var/lib/gpunet/agent.key${agent_args[*]:+ ${agent_args[*]}}"
} > "$env_file.tmp"
mv "$env_file.tmp" "$env_file"

unit="$root/etc/systemd/system/gpunet-agent.service"
sed -e "s/^User=gpunet$/User=$user/" -e "s/^Group=gpunet$/Group=$user/" "$here/systemd/gpunet-agent.service" > "$unit.tmp"
mv "$unit.tmp" "$unit"

if [ -n "$root" ]; then
  echo "install-agent: installed into $root (no user created, no service started)"
  exit 0
fi
systemctl daemon-reload
if $start; then
  systemctl enable gpunet-agent.service
  systemctl restart gpunet-agent.service
  echo "install-agent: gpunet-agent is running; follow it with: journalctl -u gpunet-agent -f"
else
  systemctl enable gpunet-agent.service
  echo "install-agent: gpunet-agent is enabled; start it with: systemctl start gpunet-agent"
fi
