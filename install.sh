#!/usr/bin/env bash
# Builds docker-secops in release mode and installs it as a Docker CLI plugin, with its man pages.
#   ./install.sh              build and install to ${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-secops,
#                             man pages to $MANDIR/man1 (default /usr/local/share/man as root, else ~/.local/share/man)
#   ./install.sh --uninstall  remove both again
# Idempotent: running it twice leaves one up-to-date plugin and one set of pages.
set -euo pipefail
cd "$(dirname "$0")"
plugins="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
target="$plugins/docker-secops"
if [[ -z "${MANDIR:-}" ]]; then
  if [[ "$(id -u)" -eq 0 ]]; then MANDIR=/usr/local/share/man; else MANDIR="$HOME/.local/share/man"; fi
fi
man1="$MANDIR/man1"

if [[ "${1:-}" == "--uninstall" ]]; then
  rm -f "$target"
  echo "removed $target"
  # Only our own pages: docker-secops.1 and docker-secops-SUBCOMMAND.1.
  rm -f "$man1"/docker-secops.1 "$man1"/docker-secops-*.1
  echo "removed the docker-secops man pages from $man1"
  exit 0
fi
[[ $# -eq 0 ]] || { echo "usage: $0 [--uninstall]" >&2; exit 2; }

cargo build --release --locked --quiet
mkdir -p "$plugins"
# Copy to a temporary name then rename: a docker CLI listing plugins never sees a half-written binary.
install -m 0755 target/release/docker-secops "$target.tmp.$$"
mv -f "$target.tmp.$$" "$target"
echo "installed $target"
# The pages are rendered from the same clap definitions as --help (clap_mangen), then installed 0644.
pages="$(mktemp -d)"
trap 'rm -rf "$pages"' EXIT
target/release/docker-secops man "$pages" >/dev/null
mkdir -p "$man1"
rm -f "$man1"/docker-secops-*.1
install -m 0644 "$pages"/*.1 "$man1"/
echo "installed $(ls "$pages" | wc -l) man pages in $man1 (man docker-secops)"
docker secops version
