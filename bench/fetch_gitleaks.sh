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
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

if [ -x "$DEST/usr/bin/gitleaks" ]; then
    echo "$DEST/usr/bin/gitleaks"
    exit 0
fi

TMP="$(mktemp -d /tmp/fetch-gitleaks.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/lists/partial" "$TMP/cache/archives/partial" "$TMP/parts" "$TMP/prefs" "$TMP/deb"
echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" > "$TMP/sources.list"
APT_OPTS=(
    -o "Dir::Etc::SourceList=$TMP/sources.list"
    -o "Dir::Etc::SourceParts=$TMP/parts"
    -o "Dir::Etc::Preferences=$TMP/prefs/none"
    -o "Dir::Etc::PreferencesParts=$TMP/prefs"
    -o "Dir::State::Lists=$TMP/lists"
    -o "Dir::Cache=$TMP/cache"
    -o "Dir::Cache::pkgcache=" -o "Dir::Cache::srcpkgcache="
    -o "APT::Get::List-Cleanup=false"
    -o "Debug::NoLocking=true"
    -o "APT::Sandbox::User=root"
)
apt-get "${APT_OPTS[@]}" update -qq >&2
( cd "$TMP/deb" && apt-get "${APT_OPTS[@]}" download -qq gitleaks >&2 )
mkdir -p "$DEST"
dpkg-deb -x "$TMP"/deb/gitleaks_*.deb "$DEST"
"$DEST/usr/bin/gitleaks" version >&2
echo "$DEST/usr/bin/gitleaks"
