#!/usr/bin/env bash
# Builds docker-secops in release mode and installs it as a Docker CLI plugin.
#   ./install.sh              build and install to ${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-secops
#   ./install.sh --uninstall  remove it again
# Idempotent: running it twice leaves one up-to-date plugin.
set -euo pipefail
cd "$(dirname "$0")"
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
target="$plugins/docker-secops"

if [[ "${1:-}" == "--uninstall" ]]; then
  rm -f "$target"
  echo "removed $target"
  exit 0
fi
[[ $# -eq 0 ]] || { echo "usage: $0 [--uninstall]" >&2; exit 2; }

cargo build --release --locked --quiet
mkdir -p "$plugins"
# Copy to a temporary name then rename: a docker CLI listing plugins never sees a half-written binary.
install -m 0755 target/release/docker-secops "$target.tmp.$$"
mv -f "$target.tmp.$$" "$target"
echo "installed $target"
docker secops version
