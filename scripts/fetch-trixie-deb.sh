#!/usr/bin/env bash
# Downloads one package from Debian trixie and unpacks it into DEST, without touching the machine's apt setup:
# apt is pointed at a private, temporary sources list / lists dir / cache dir holding only trixie (deb.debian.org,
# signed by debian-archive-keyring); `apt-get download` fetches the .deb, which is never installed (that would drag
# trixie dependencies into bookworm); `dpkg-deb -x` unpacks it. Nothing is written under /etc/apt or /var/lib/apt.
#
# Usage: bash scripts/fetch-trixie-deb.sh PACKAGE DEST      (env SUITE, DEBIAN_MIRROR to change the source)
# Used by .ci/install-deps.sh (docker-compose v2) and bench/fetch_gitleaks.sh (gitleaks).
set -euo pipefail

PACKAGE="${1:?usage: fetch-trixie-deb.sh PACKAGE DEST}"
DEST="${2:?usage: fetch-trixie-deb.sh PACKAGE DEST}"
SUITE="${SUITE:-trixie}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

log() { printf '[fetch-trixie-deb %s] %s\n' "$(date +%T)" "$*" >&2; }

TMP="$(mktemp -d /tmp/fetch-trixie-deb.XXXXXX)"
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
t0=$SECONDS
log "apt-get update ($SUITE only, private lists in $TMP)"
apt-get "${APT_OPTS[@]}" update -qq >&2
ver="$(apt-cache "${APT_OPTS[@]}" show "$PACKAGE" 2>/dev/null | awk '/^Version:/{print $2; exit}')"
[ -n "$ver" ] || { log "ERROR: $PACKAGE not found in $SUITE"; exit 1; }
( cd "$TMP/deb" && apt-get "${APT_OPTS[@]}" download -qq "$PACKAGE=$ver" >&2 )
deb="$(ls "$TMP"/deb/"${PACKAGE}"_*.deb)"
mkdir -p "$DEST"
dpkg-deb -x "$deb" "$DEST"
log "unpacked $(basename "$deb") ($(du -h "$deb" | cut -f1)) into $DEST in $((SECONDS - t0))s"
