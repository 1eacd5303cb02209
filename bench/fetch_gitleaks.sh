#!/usr/bin/env bash
# Fetch Debian trixie's `gitleaks` binary for the history-scan benchmark, without touching the machine's apt setup.
#
# Same approach as .ci/install-deps.sh uses for docker-compose: apt is pointed at a private sources list, lists dir
# and cache dir holding only trixie; `apt-get download` fetches the .deb (never installed: it would drag trixie
# dependencies into bookworm) and `dpkg-deb -x` unpacks it. Nothing is written under /etc/apt or /var/lib/apt.
#
# Usage: bash bench/fetch_gitleaks.sh [DEST_DIR]    (default /tmp/gitleaks; prints the binary's path)
set -euo pipefail

DEST="${1:-/tmp/gitleaks}"
SUITE="${GITLEAKS_SUITE:-trixie}"

if [ -x "$DEST/usr/bin/gitleaks" ]; then
    echo "$DEST/usr/bin/gitleaks"
    exit 0
fi

SUITE="$SUITE" bash "$(dirname "$0")/../scripts/fetch-trixie-deb.sh" gitleaks "$DEST"
"$DEST/usr/bin/gitleaks" version >&2
echo "$DEST/usr/bin/gitleaks"
