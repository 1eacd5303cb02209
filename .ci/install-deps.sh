#!/usr/bin/env bash
# Install what the integration tests need on a fresh Debian 12 (bookworm) machine:
#   * the Docker Compose v2 CLI plugin (`docker compose ...`), taken from Debian
#     trixie's `docker-compose` package (bookworm only ships compose v1.29), and
#   * debootstrap (used by tests/images/build.sh to build the test images).
#
# Idempotent: does nothing for a dependency that is already usable.
#
# How compose v2 is fetched without touching the machine's apt setup: scripts/fetch-trixie-deb.sh
#   downloads trixie's docker-compose .deb with a private apt setup and unpacks it (never installs
#   it), and the Go plugin binary is copied to
#     ${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-compose   and
#     /usr/local/lib/docker/cli-plugins/docker-compose  (found for any DOCKER_CONFIG).
#   Nothing is written under /etc/apt or /var/lib/apt, so there is no temporary
#   sources entry to forget and no need for a second `apt-get update`.
#
# Usage: bash .ci/install-deps.sh        (as root; env COMPOSE_SUITE=trixie to change the suite)
set -euo pipefail

SUITE="${COMPOSE_SUITE:-trixie}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
USER_PLUGIN_DIR="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
SYSTEM_PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

log() { printf '[install-deps %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
SECONDS=0

[ "$(id -u)" -eq 0 ] || die "must run as root (apt-get, /usr/local/lib)"
command -v docker >/dev/null || die "docker CLI not found"

apt_updated=0
apt_update_once() {
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        apt-get update -qq
        apt_updated=1
    fi
}
apt_install() {
    apt_update_once
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------- debootstrap
if command -v debootstrap >/dev/null; then
    log "debootstrap already installed: $(dpkg-query -W -f='${Version}' debootstrap 2>/dev/null || echo '?')"
else
    apt_install debootstrap
    log "installed debootstrap $(dpkg-query -W -f='${Version}' debootstrap)"
fi

# ----------------------------------------------------------- compose v2 plugin
if docker compose version >/dev/null 2>&1; then
    log "docker compose already works: $(docker compose version)"
    # Make sure the system-wide copy exists too (tests may use a temp DOCKER_CONFIG).
    if [ ! -x "$SYSTEM_PLUGIN_DIR/docker-compose" ]; then
        src=""
        for c in "$USER_PLUGIN_DIR/docker-compose" /usr/local/libexec/docker/cli-plugins/docker-compose \
                 /usr/lib/docker/cli-plugins/docker-compose /usr/libexec/docker/cli-plugins/docker-compose; do
            [ -x "$c" ] && { src="$c"; break; }
        done
        if [ -n "$src" ]; then
            install -D -m 0755 "$src" "$SYSTEM_PLUGIN_DIR/docker-compose"
            log "copied $src -> $SYSTEM_PLUGIN_DIR/docker-compose"
        fi
    fi
    log "done in ${SECONDS}s"
    exit 0
fi

log "docker compose v2 missing; fetching docker-compose from Debian $SUITE"

# The keyring must know the suite's signing key (debian-archive-keyring >= 2023.3+deb12u1
# on bookworm carries the trixie keys). If not, upgrade the keyring package from bookworm.
keyring_has_suite() {
    [ -r "$KEYRING" ] && gpg --batch --show-keys "$KEYRING" 2>/dev/null | grep -qiE "[(/]$SUITE\)"
}
if ! command -v gpg >/dev/null; then
    apt_install gnupg
fi
if ! keyring_has_suite; then
    log "$KEYRING lacks the $SUITE key; upgrading debian-archive-keyring"
    apt_install debian-archive-keyring
    keyring_has_suite || die "$KEYRING still has no key for $SUITE (debian-archive-keyring $(dpkg-query -W -f='${Version}' debian-archive-keyring))"
fi

TMP="$(mktemp -d /tmp/install-deps.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
SUITE="$SUITE" bash "$(dirname "$0")/../scripts/fetch-trixie-deb.sh" docker-compose "$TMP/root"
deb="docker-compose ($SUITE)"

bin=""
for c in usr/libexec/docker/cli-plugins/docker-compose usr/lib/docker/cli-plugins/docker-compose usr/bin/docker-compose; do
    if [ -f "$TMP/root/$c" ] && [ ! -L "$TMP/root/$c" ]; then bin="$TMP/root/$c"; break; fi
done
[ -n "$bin" ] || bin="$(find "$TMP/root" -type f -name docker-compose -perm -u+x | head -n1)"
[ -n "$bin" ] || die "no docker-compose binary inside $deb: $(cd "$TMP/root" && find . -type f | head -20)"
log "plugin binary in package: ${bin#"$TMP/root/"}"
log "linkage: $(file -b "$bin" 2>/dev/null | cut -d, -f1-6 || echo 'file(1) not installed')"
# A Go binary is normally static; if it is dynamic it must still load on bookworm's glibc.
if ! "$bin" version >/dev/null 2>&1; then
    die "extracted binary does not run here: $("$bin" version 2>&1 | head -3)"
fi

for dir in "$USER_PLUGIN_DIR" "$SYSTEM_PLUGIN_DIR"; do
    install -D -m 0755 "$bin" "$dir/docker-compose"
    log "installed $dir/docker-compose"
done

docker compose version >/dev/null 2>&1 || die "docker compose version still fails: $(docker compose version 2>&1)"
log "OK: $(docker compose version) (total ${SECONDS}s)"
