#!/usr/bin/env bash
# Build the local test images from Debian packages; no container registry needed.
#
#   secops-test/redis:7  Debian bookworm's redis-server (7.0) in a debootstrap
#                        minbase rootfs, made with `docker import`.
#                        CMD redis-server --protected-mode no --bind 0.0.0.0 --daemonize no
#                        WORKDIR /data (mount a named volume there), EXPOSE 6379.
#                        Compose files override the command, e.g.
#                        redis-server --requirepass ${REDIS_PASSWORD} --appendonly yes
#   secops-test/app:1    The same rootfs plus tests/images/app/{secops-test-app,healthcheck}:
#                        idles in the foreground, exits at once on SIGTERM, and
#                        /usr/local/bin/healthcheck PINGs Redis with the env credentials.
#                        Built with the legacy builder FROM the redis image (adds a
#                        HEALTHCHECK); if that fails, falls back to `docker import`,
#                        which cannot set HEALTHCHECK. Compose files should therefore
#                        always declare:  healthcheck: test: ["CMD", "/usr/local/bin/healthcheck"]
#
# Usage: tests/images/build.sh [--force] [--check] [redis|app]...
#   (no image names = both)
#   --force  rebuild even if the tag exists (the cached rootfs tarball is reused;
#            --force twice, or --force-rootfs, re-runs debootstrap too)
#   --check  also smoke-run a container from images that were already there
#
# Caching: a tag that exists and whose label secops.test.inputs matches the current
# inputs (package list, recipe, app scripts) is left alone. The trimmed debootstrap
# rootfs is cached as a tarball in ${XDG_CACHE_HOME:-$HOME/.cache}/docker-secops/,
# so rebuilding after `docker rmi` takes seconds. A lock (flock on
# /tmp/docker-secops-test-images.lock) serialises concurrent runs.
# Needs root for debootstrap (installed with apt-get if missing) on a cold cache.
# Env: SECOPS_REDIS_IMAGE, SECOPS_APP_IMAGE (tags), DEBIAN_MIRROR,
#      SECOPS_APP_BUILDER=import (skip the legacy build; use docker import).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REDIS_TAG="${SECOPS_REDIS_IMAGE:-secops-test/redis:7}"
APP_TAG="${SECOPS_APP_IMAGE:-secops-test/app:1}"
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=redis-server,redis-tools
RECIPE=1 # bump when the rootfs trimming / import options change
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/docker-secops"
LOCK=/tmp/docker-secops-test-images.lock
REDIS_CMD='CMD ["redis-server", "--protected-mode", "no", "--bind", "0.0.0.0", "--daemonize", "no"]'
PATH_ENV='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
LABEL_KEY=secops.test.inputs

FORCE=0
CHECK=0
WANT=()
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=$((FORCE + 1)) ;;
        --force-rootfs) FORCE=2 ;;
        --check) CHECK=1 ;;
        redis | app) WANT+=("$arg") ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#WANT[@]} -gt 0 ] || WANT=(redis app)

START_NS=$(date +%s%N)
log() { printf '[build.sh +%6.1fs] %s\n' "$(( ($(date +%s%N) - START_NS) / 1000000 ))e-3" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
# timed DESCRIPTION CMD...: run CMD, log its duration.
timed() {
    local what="$1" t0 rc=0
    shift
    t0=$(date +%s%N)
    log "$what ..."
    "$@" || rc=$?
    local status="done"
    [ $rc -eq 0 ] || status="FAILED (rc=$rc)"
    log "$what: $status in $(( ($(date +%s%N) - t0) / 1000000 ))ms"
    return $rc
}
sha() { sha256sum | cut -c1-16; }

TMP=""
cleanup() { [ -z "$TMP" ] || rm -rf "$TMP"; }
trap cleanup EXIT
tmpdir() { [ -n "$TMP" ] || TMP="$(mktemp -d /var/tmp/secops-images.XXXXXX)"; }

# --- engine reachable? -------------------------------------------------------
if ! server_version="$(docker version --format '{{.Server.Version}}' 2>&1)"; then
    die "docker engine not reachable: ${server_version#$'\n'}"
fi

# --- lock ---------------------------------------------------------------------
exec 9>>"$LOCK"
if ! flock -n 9; then
    log "another build.sh holds $LOCK; waiting (max 20 min)"
    flock -w 1200 9 || die "timed out waiting for $LOCK"
fi
log "engine $server_version; images: ${WANT[*]}; cache: $CACHE_DIR"

# --- inputs / freshness -------------------------------------------------------
ROOTFS_KEY="$(printf '%s\n' "$SUITE" "$PACKAGES" "$RECIPE" "$REDIS_CMD" | sha)"
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-$ROOTFS_KEY.tar"

image_label() { docker image inspect --format "{{ index .Config.Labels \"$LABEL_KEY\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
app_key() { # depends on the exact base image and on the app files
    { image_id "$REDIS_TAG"; cat "$HERE/app/Dockerfile" "$HERE/app/healthcheck" "$HERE/app/secops-test-app"; } | sha
}
# is_fresh TAG KEY: tag exists with matching label
is_fresh() {
    local have
    have="$(image_label "$1")"
    [ -n "$have" ] && [ "$have" = "$2" ]
}

# --- smoke test: the engine must be able to run a container ------------------
smoke() { # smoke TAG CMD...
    local tag="$1" out
    shift
    if ! out="$(docker run --rm --network none --entrypoint "$1" "$tag" "${@:2}" 2>&1)"; then
        log "engine cannot run a container from $tag; the engine said:"
        printf '%s\n' "$out" >&2
        return 1
    fi
    log "smoke run OK ($tag): $(printf '%s' "$out" | head -n1)"
}

# --- rootfs tarball (debootstrap, cached) ------------------------------------
ensure_rootfs() {
    if [ -s "$ROOTFS_TAR" ] && [ "$FORCE" -lt 2 ]; then
        log "rootfs cached: $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
        return 0
    fi
    [ "$(id -u)" -eq 0 ] || die "debootstrap needs root (or put a cached rootfs in $ROOTFS_TAR)"
    if ! command -v debootstrap >/dev/null; then
        timed "apt-get install debootstrap" sh -c \
            'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null'
    fi
    tmpdir
    local root="${TMP:?}/rootfs" dlog="$TMP/debootstrap.log"
    run_debootstrap() { debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >"$dlog" 2>&1; }
    if ! timed "debootstrap --variant=minbase --include=$PACKAGES $SUITE $MIRROR" run_debootstrap; then
        tail -n 25 "$dlog" >&2
        die "debootstrap failed (log above)"
    fi
    trim() {
        rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
            "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/usr/share/linda \
            "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
            "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/var/log/*.log \
            "$root"/debootstrap
        # docker provides /dev, /proc, /sys, resolv.conf, hosts and hostname at run time
        rm -rf "${root:?}"/dev/* "$root"/proc/* "$root"/sys/* "$root"/tmp/* "$root"/run/*
        : >"$root/etc/resolv.conf"
        echo localhost >"$root/etc/hostname"
        mkdir -p "$root/data"
        chmod 0755 "$root/data"
    }
    timed "trim rootfs (docs, man, locales, apt lists/caches, /dev)" trim
    mkdir -p "$CACHE_DIR"
    rm -f "$CACHE_DIR"/rootfs-"$SUITE"-*.tar # older recipes
    timed "tar rootfs -> $ROOTFS_TAR" \
        tar --numeric-owner --one-file-system -C "$root" -cf "$ROOTFS_TAR.part" .
    mv -f "$ROOTFS_TAR.part" "$ROOTFS_TAR"
    rm -rf "$root"
    log "rootfs: $(du -h "$ROOTFS_TAR" | cut -f1), $(
        tar -xOf "$ROOTFS_TAR" ./var/lib/dpkg/status | grep -c '^Package:'
    ) packages"
}

# --- images ------------------------------------------------------------------
REDIS_DONE=0
build_redis() {
    [ "$REDIS_DONE" -eq 0 ] || return 0
    REDIS_DONE=1
    if [ "$FORCE" -eq 0 ] && is_fresh "$REDIS_TAG" "$ROOTFS_KEY"; then
        log "$REDIS_TAG is up to date (cached); nothing to do"
        [ "$CHECK" -eq 0 ] || smoke "$REDIS_TAG" redis-server --version
        return 0
    fi
    [ -z "$(image_id "$REDIS_TAG")" ] || [ "$FORCE" -gt 0 ] || log "$REDIS_TAG exists but its inputs changed; rebuilding"
    ensure_rootfs
    timed "docker import -> $REDIS_TAG" \
        docker import \
        --change "$PATH_ENV" \
        --change 'WORKDIR /data' \
        --change 'EXPOSE 6379' \
        --change "LABEL $LABEL_KEY=$ROOTFS_KEY" \
        --change "LABEL org.opencontainers.image.title=secops-test-redis org.opencontainers.image.description=debian-$SUITE-redis-server" \
        --change "$REDIS_CMD" \
        --message "docker-secops test image: Debian $SUITE redis-server" \
        "$ROOTFS_TAR" "$REDIS_TAG" >/dev/null
    if ! smoke "$REDIS_TAG" redis-server --version; then
        docker rmi "$REDIS_TAG" >/dev/null 2>&1 || true
        die "removed $REDIS_TAG again since no container can run from it"
    fi
}

app_build_legacy() { # docker build FROM the local redis image; no registry, no network
    local ctx="$TMP/app-ctx" key="$1"
    rm -rf "$ctx"
    mkdir -p "$ctx"
    install -m 0755 "$HERE/app/healthcheck" "$HERE/app/secops-test-app" "$ctx/"
    install -m 0644 "$HERE/app/Dockerfile" "$ctx/"
    DOCKER_BUILDKIT=0 docker build --quiet --network none --pull=false \
        --build-arg "BASE=$REDIS_TAG" --label "$LABEL_KEY=$key" \
        --label org.opencontainers.image.title=secops-test-app \
        -t "$APP_TAG" "$ctx" >"$TMP/app-build.log" 2>&1 || { cat "$TMP/app-build.log" >&2; return 1; }
}

app_import() { # the cached rootfs + the app files, via docker import (no HEALTHCHECK)
    local key="$1" tar="$TMP/app-rootfs.tar"
    ensure_rootfs
    cp "$ROOTFS_TAR" "$tar" || return 1
    tar --numeric-owner --owner=0 --group=0 --mode=0755 -C "$HERE/app" \
        --transform 's,^,./usr/local/bin/,' -rf "$tar" healthcheck secops-test-app || return 1
    docker import \
        --change "$PATH_ENV" \
        --change 'WORKDIR /' \
        --change "LABEL $LABEL_KEY=$key" \
        --change 'LABEL org.opencontainers.image.title=secops-test-app' \
        --change 'CMD ["/usr/local/bin/secops-test-app"]' \
        --message "docker-secops test image: app stand-in" \
        "$tar" "$APP_TAG" >/dev/null
}

build_app() {
    build_redis # the app is built FROM it (and its key includes the redis image id)
    local key
    key="$(app_key)"
    if [ "$FORCE" -eq 0 ] && is_fresh "$APP_TAG" "$key"; then
        log "$APP_TAG is up to date (cached); nothing to do"
        [ "$CHECK" -eq 0 ] || smoke "$APP_TAG" sh -c 'test -x /usr/local/bin/healthcheck && redis-cli --version'
        return 0
    fi
    [ -z "$(image_id "$APP_TAG")" ] || [ "$FORCE" -gt 0 ] || log "$APP_TAG exists but its inputs changed; rebuilding"
    tmpdir
    if [ "${SECOPS_APP_BUILDER:-build}" != import ] &&
        timed "docker build (legacy builder, FROM $REDIS_TAG) -> $APP_TAG" app_build_legacy "$key"; then
        log "$APP_TAG has HEALTHCHECK $(docker image inspect --format '{{json .Config.Healthcheck.Test}}' "$APP_TAG")"
    else
        [ "${SECOPS_APP_BUILDER:-build}" = import ] || log "legacy docker build failed; falling back to docker import (image has no HEALTHCHECK: declare it in compose)"
        timed "docker import (rootfs + app files) -> $APP_TAG" app_import "$key"
    fi
    if ! smoke "$APP_TAG" sh -c 'test -x /usr/local/bin/healthcheck && redis-cli --version'; then
        docker rmi "$APP_TAG" >/dev/null 2>&1 || true
        die "removed $APP_TAG again since no container can run from it"
    fi
}

for w in "${WANT[@]}"; do
    case "$w" in
        redis) build_redis ;;
        app) build_app ;;
    esac
done
# Dangling images left by rebuilds under the same tag are the test images' own; prune those only.
for id in $(docker images --quiet --filter dangling=true --filter "label=$LABEL_KEY"); do
    docker rmi "$id" >/dev/null 2>&1 || true
done
for t in "$REDIS_TAG" "$APP_TAG"; do
    id="$(image_id "$t")"
    [ -z "$id" ] || log "$t  ${id#sha256:}  $(docker image inspect --format '{{.Size}}' "$t" | awk '{printf "%.1f MB", $1/1e6}')"
done
log "all done"
