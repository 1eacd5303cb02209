#!/usr/bin/env bash
# Build the local test images from Debian packages; no container registry needed.
#
# All images share one debootstrap minbase rootfs of Debian bookworm holding every
# package below (redis, postgresql-15, mariadb-server 10.11 and their clients),
# imported once as secops-test/base:bookworm (one ~570 MB layer on disk, shared); each
# image adds a small layer FROM it, described by tests/images/<name>/Dockerfile and made
# without a builder: docker create (--network none) + docker cp of the COPY files +
# docker commit with the Dockerfile's settings (no RUN step, a few seconds per image).
#
#   secops-test/redis:7       Debian's redis-server (7.0).
#                             CMD redis-server --protected-mode no --bind 0.0.0.0 --daemonize no
#                             WORKDIR /data (mount a named volume there), EXPOSE 6379.
#                             Compose files override the command, e.g.
#                             redis-server --requirepass ${REDIS_PASSWORD} --appendonly yes
#   secops-test/postgres:15   Debian's postgresql-15, like the official `postgres` image
#                             (tests/images/postgres/docker-entrypoint.sh): only when
#                             PGDATA (default /var/lib/postgresql/data, a VOLUME) is empty,
#                             initdb with POSTGRES_PASSWORD, POSTGRES_USER (default postgres),
#                             POSTGRES_DB (default = user), their _FILE forms,
#                             POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD and
#                             /docker-entrypoint-initdb.d/*; a later start ignores them all.
#                             pg_hba: local, 127.0.0.1/32 and ::1 trust, all other hosts
#                             scram-sha-256; listen_addresses='*', port 5432, log to stderr.
#                             Then `exec postgres` as user postgres (PID 1, STOPSIGNAL SIGINT =
#                             fast shutdown); args starting with '-' go to postgres
#                             (`-c log_statement=all`). `docker exec -u postgres C psql` needs
#                             no password. Healthcheck: pg_isready -h 127.0.0.1 (TCP, so the
#                             socket-only init server does not count). EXPOSE 5432.
#   secops-test/mariadb:10.11 Debian's mariadb-server (10.11), like the official `mariadb`
#                             image (tests/images/mariadb/docker-entrypoint.sh): only when
#                             /var/lib/mysql (a VOLUME) is empty, MARIADB_/MYSQL_ ROOT_PASSWORD,
#                             USER, PASSWORD, DATABASE (+ _FILE forms), ALLOW_EMPTY_ROOT_PASSWORD,
#                             RANDOM_ROOT_PASSWORD, ROOT_HOST, INITDB_SKIP_TZINFO. Accounts as
#                             upstream: root@localhost (mysql_native_password) and root@'%'
#                             with the root password, USER@'%' with ALL on DATABASE,
#                             healthcheck@{localhost,127.0.0.1,::1} for healthcheck.sh.
#                             Test extra: SECOPS_MARIADB_ROOT_SOCKET=1 makes root@localhost
#                             "mysql_native_password OR unix_socket" (as a distro's root).
#                             Then `exec mariadbd` as user mysql, all addresses, port 3306;
#                             args starting with '-' go to mariadbd (`--general-log=1`).
#                             Healthcheck: healthcheck.sh --connect --innodb_initialized.
#                             EXPOSE 3306.
#   secops-test/app:1         tests/images/app/{secops-test-app,healthcheck}: idles in the
#                             foreground, exits at once on SIGTERM. /usr/local/bin/healthcheck
#                             PINGs Redis with the env credentials (REDIS_*), or with
#                             SECOPS_APP_CHECK=postgres logs in with DATABASE_URL or PG* and
#                             runs a query, or with SECOPS_APP_CHECK=mariadb with DATABASE_URL
#                             (mysql://) or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD/DB_NAME.
#                             Passwords go to the clients through the environment, never argv.
#                             Has psql, mariadb and redis-cli.
#
# Only app declares a HEALTHCHECK (its Dockerfile); compose files should declare the
# healthcheck of every service anyway (as with the official images, which have none). If
# docker commit fails, build.sh falls back to `docker import` of the rootfs plus the COPY
# files (a full extra copy of the layer), which cannot carry STOPSIGNAL: so give postgres
# `stop_signal: SIGINT` in compose too.
#
# Usage: tests/images/build.sh [--force] [--check] [redis|app|postgres|mariadb]...
#   (no image names = all four, which is what the test suite needs)
#   --force  rebuild even if the tag exists (the cached rootfs tarball is reused;
#            --force twice, or --force-rootfs, re-runs debootstrap too)
#   --check  also smoke-run a container from images that were already there
#            (tests/images/smoke.sh is the thorough check: logins, init-only, _FILE)
#
# Caching: a tag that exists and whose label secops.test.inputs matches the current
# inputs (package list, recipe, Dockerfile and scripts, base image id) is left alone.
# The trimmed debootstrap rootfs is cached as a tarball in
# ${XDG_CACHE_HOME:-$HOME/.cache}/docker-secops/, so rebuilding after `docker rmi`
# takes seconds. A lock (flock on /tmp/docker-secops-test-images.lock) serialises
# concurrent runs. Needs root for debootstrap (installed with apt-get if missing) on a
# cold cache.
# Env: SECOPS_BASE_IMAGE, SECOPS_REDIS_IMAGE, SECOPS_APP_IMAGE, SECOPS_POSTGRES_IMAGE,
#      SECOPS_MARIADB_IMAGE (tags), DEBIAN_MIRROR,
#      SECOPS_APP_BUILDER=import (skip docker commit; use docker import for every image).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_TAG="${SECOPS_BASE_IMAGE:-secops-test/base:bookworm}"
declare -A TAG=(
    [redis]="${SECOPS_REDIS_IMAGE:-secops-test/redis:7}"
    [app]="${SECOPS_APP_IMAGE:-secops-test/app:1}"
    [postgres]="${SECOPS_POSTGRES_IMAGE:-secops-test/postgres:15}"
    [mariadb]="${SECOPS_MARIADB_IMAGE:-secops-test/mariadb:10.11}"
)
ALL=(redis postgres mariadb app)
# a command proving a container can run from the image (entrypoint overridden)
declare -A SMOKE=(
    [redis]='redis-server --version'
    [app]='test -x /usr/local/bin/healthcheck && redis-cli --version && psql --version && mariadb --version'
    [postgres]='test -x /usr/local/bin/docker-entrypoint.sh && postgres --version && pg_isready --version'
    [mariadb]='test -x /usr/local/bin/docker-entrypoint.sh && test -x /usr/local/bin/healthcheck.sh && mariadbd --version'
)
SUITE=bookworm
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES=redis-server,redis-tools,postgresql-15,postgresql-client-15,mariadb-server,mariadb-client
RECIPE=2       # bump when the rootfs trimming / import options change
IMAGE_RECIPE=1 # bump when build_commit / build_import change
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/docker-secops"
LOCK=/tmp/docker-secops-test-images.lock
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
        redis | app | postgres | mariadb) WANT+=("$arg") ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#WANT[@]} -gt 0 ] || WANT=("${ALL[@]}")

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
ROOTFS_KEY="$(printf '%s\n' "$SUITE" "$PACKAGES" "$RECIPE" "$PATH_ENV" | sha)"
ROOTFS_TAR="$CACHE_DIR/rootfs-$SUITE-$ROOTFS_KEY.tar"

image_label() { docker image inspect --format "{{ index .Config.Labels \"$LABEL_KEY\" }}" "$1" 2>/dev/null || true; }
image_id() { docker image inspect --format '{{.Id}}' "$1" 2>/dev/null || true; }
image_key() { # NAME: depends on the exact base image and on every file of tests/images/NAME
    { image_id "$BASE_TAG"; echo "$IMAGE_RECIPE"; for f in "$HERE/$1"/*; do printf '%s\n' "${f##*/}"; cat "$f"; done; } | sha
}
# is_fresh TAG KEY: tag exists with matching label
is_fresh() {
    local have
    have="$(image_label "$1")"
    [ -n "$have" ] && [ "$have" = "$2" ]
}

# --- smoke test: the engine must be able to run a container ------------------
smoke() { # smoke TAG SHELL-COMMAND
    local out
    if ! out="$(docker run --rm --network none --entrypoint sh "$1" -c "$2" 2>&1)"; then
        log "engine cannot run a container from $1; the engine said:"
        printf '%s\n' "$out" >&2
        return 1
    fi
    log "smoke run OK ($1): $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-150)"
}

# --- rootfs tarball (debootstrap, cached) ------------------------------------
# trim ROOT: drop what containers do not need, and set the database packages up the way
# the official images do (no packaged cluster, listen on all addresses, empty data dirs).
trim() {
    local root="$1" pg_uid pg_gid my_uid my_gid
    rm -rf "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
        "$root"/usr/share/locale/* "$root"/usr/share/lintian "$root"/usr/share/linda \
        "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
        "$root"/var/cache/debconf/*-old "$root"/var/lib/dpkg/*-old "$root"/var/log/*.log \
        "$root"/var/log/postgresql/* "$root"/var/log/mysql/* "$root"/debootstrap
    # docker provides /dev, /proc, /sys, resolv.conf, hosts and hostname at run time
    rm -rf "${root:?}"/dev/* "$root"/proc/* "$root"/sys/* "$root"/tmp/* "$root"/run/*
    : >"$root/etc/resolv.conf"
    echo localhost >"$root/etc/hostname"
    mkdir -p "$root/data" "$root/docker-entrypoint-initdb.d"
    chmod 0755 "$root/data" "$root/docker-entrypoint-initdb.d"

    pg_uid="$(awk -F: '$1 == "postgres" { print $3 }' "$root/etc/passwd")"
    pg_gid="$(awk -F: '$1 == "postgres" { print $4 }' "$root/etc/passwd")"
    my_uid="$(awk -F: '$1 == "mysql" { print $3 }' "$root/etc/passwd")"
    my_gid="$(awk -F: '$1 == "mysql" { print $4 }' "$root/etc/passwd")"
    [ -n "$pg_uid" ] && [ -n "$my_uid" ] || { log "no postgres or mysql user in the rootfs"; return 1; }

    # PostgreSQL: the package's postinst created a "main" cluster; the entrypoint makes its own in PGDATA.
    rm -rf "$root"/var/lib/postgresql/15 "$root"/etc/postgresql/15
    local sample="$root/usr/share/postgresql/15/postgresql.conf.sample"
    sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
    grep -qF "listen_addresses = '*'" "$sample" || { log "listen_addresses not set in $sample"; return 1; }
    mkdir -p "$root/var/lib/postgresql/data" "$root/run/postgresql"
    chown "$pg_uid:$pg_gid" "$root/var/lib/postgresql" "$root/var/lib/postgresql/data" "$root/run/postgresql"
    chmod 1777 "$root/var/lib/postgresql/data" # as upstream; the entrypoint makes PGDATA 0700
    chmod 3775 "$root/run/postgresql"

    # MariaDB: as upstream's Dockerfile: no packaged datadir, no bind-address/log/user lines, no name resolution.
    rm -rf "$root"/var/lib/mysql "$root"/etc/mysql/mariadb.conf.d/50-mysqld_safe.cnf
    find "$root/etc/mysql/" -type f -name '*.cnf' -print0 |
        xargs -0 grep -lZE '^(bind-address|log|user\s)' |
        xargs -r -0 sed -Ei 's/^(bind-address|log|user\s)/#&/'
    printf '[mariadb]\nhost-cache-size=0\nskip-name-resolve\n' >"$root/etc/mysql/mariadb.conf.d/05-skipcache.cnf"
    mkdir -p "$root/var/lib/mysql" "$root/run/mysqld"
    chown "$my_uid:$my_gid" "$root/var/lib/mysql" "$root/run/mysqld"
    chmod 1777 "$root/run/mysqld"
}

ensure_rootfs() {
    if [ -s "$ROOTFS_TAR" ] && [ "$FORCE" -lt 2 ]; then
        touch "$ROOTFS_TAR" # in use: keep it from the week-old sweep below
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
    # debootstrap's second stage installs a policy-rc.d that denies starting services, so
    # neither database server starts inside the build root.
    run_debootstrap() { debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$MIRROR" >"$dlog" 2>&1; }
    if ! timed "debootstrap --variant=minbase --include=$PACKAGES $SUITE $MIRROR" run_debootstrap; then
        tail -n 25 "$dlog" >&2
        die "debootstrap failed (log above)"
    fi
    timed "trim rootfs (docs, man, locales, apt lists/caches, /dev; database defaults)" trim "$root" ||
        die "trimming the rootfs failed"
    mkdir -p "$CACHE_DIR"
    # other recipes' tarballs (older versions, other checkouts on this machine): once unused for a week
    find "$CACHE_DIR" -maxdepth 1 -name "rootfs-$SUITE-*.tar" -mtime +7 -delete
    timed "tar rootfs -> $ROOTFS_TAR" \
        tar --numeric-owner --one-file-system -C "$root" -cf "$ROOTFS_TAR.part" .
    mv -f "$ROOTFS_TAR.part" "$ROOTFS_TAR"
    rm -rf "$root"
    log "rootfs: $(du -h "$ROOTFS_TAR" | cut -f1), $(
        tar -xOf "$ROOTFS_TAR" ./var/lib/dpkg/status | grep -c '^Package:'
    ) packages"
}

# --- images ------------------------------------------------------------------
BASE_DONE=0
build_base() {
    [ "$BASE_DONE" -eq 0 ] || return 0
    BASE_DONE=1
    if [ "$FORCE" -eq 0 ] && is_fresh "$BASE_TAG" "$ROOTFS_KEY"; then
        log "$BASE_TAG is up to date (cached)"
        return 0
    fi
    ensure_rootfs
    timed "docker import -> $BASE_TAG" \
        docker import \
        --change "$PATH_ENV" \
        --change 'ENV LANG=C.UTF-8' \
        --change "LABEL $LABEL_KEY=$ROOTFS_KEY" \
        --change "LABEL org.opencontainers.image.title=secops-test-base org.opencontainers.image.description=debian-$SUITE-${PACKAGES//,/-}" \
        --message "docker-secops test images: Debian $SUITE rootfs with $PACKAGES" \
        "$ROOTFS_TAR" "$BASE_TAG" >/dev/null
    smoke "$BASE_TAG" 'cat /etc/debian_version' || {
        docker rmi "$BASE_TAG" >/dev/null 2>&1 || true
        die "removed $BASE_TAG again since no container can run from it"
    }
}

# parse_dockerfile NAME: tests/images/NAME/Dockerfile (one instruction per line) into
#   CHANGES  --change arguments for ENV/CMD/ENTRYPOINT/EXPOSE/VOLUME/WORKDIR/USER/LABEL/HEALTHCHECK
#   COPIES   "SRC... DEST/" lines (DEST a directory)
#   STOPSIG  the STOPSIGNAL value, if any
# FROM and ARG name the base image, which is always $BASE_TAG; RUN is refused (no network,
# nothing to run it with).
parse_dockerfile() {
    local line word rest
    CHANGES=() COPIES=() STOPSIG=
    while IFS= read -r line || [ -n "$line" ]; do
        read -r word rest <<<"$line"
        case "${word^^}" in
            '' | \#*) ;;
            FROM | ARG) ;;
            ENV | CMD | ENTRYPOINT | EXPOSE | VOLUME | WORKDIR | USER | LABEL | HEALTHCHECK) CHANGES+=(--change "$line") ;;
            COPY) COPIES+=("$rest") ;;
            STOPSIGNAL) STOPSIG="$rest" ;;
            *) log "tests/images/$1/Dockerfile: unsupported instruction: $line"; return 1 ;;
        esac
    done <"$HERE/$1/Dockerfile"
    printf '%s\n' "${CHANGES[@]}" | grep -q '^CMD ' || { log "tests/images/$1/Dockerfile: no CMD"; return 1; }
}

# build_commit NAME KEY: a container created from the base image, the COPY files put in with
# docker cp, committed with the Dockerfile's settings: one small layer, no builder, no network.
build_commit() {
    local name="$1" key="$2" c spec words src rc=0
    parse_dockerfile "$name" || return 1
    # (a commit keeps what the container had unless a change overrides it, and ENTRYPOINT []
    # does not: so the container gets a CMD, which every Dockerfile here overrides, and no
    # entrypoint)
    c="$(docker create --network none ${STOPSIG:+--stop-signal "$STOPSIG"} "$BASE_TAG" /bin/true)" || return 1
    for spec in "${COPIES[@]}"; do
        read -r -a words <<<"$spec"
        for src in "${words[@]:0:${#words[@]}-1}"; do
            docker cp "$HERE/$name/$src" "$c:${words[-1]}" || rc=1
        done
    done
    [ $rc -ne 0 ] || docker commit "${CHANGES[@]}" \
        --change "LABEL $LABEL_KEY=$key" --change "LABEL org.opencontainers.image.title=secops-test-$name" \
        --message "docker-secops test image: $name (tests/images/$name)" "$c" "${TAG[$name]}" >/dev/null || rc=1
    docker rm -f "$c" >/dev/null 2>&1 || true
    return $rc
}

# build_import NAME KEY: the fallback: the cached rootfs plus the COPY files as one tarball,
# via docker import (a full copy of the rootfs layer; no STOPSIGNAL).
build_import() {
    local name="$1" key="$2" tar="$TMP/$1-rootfs.tar" spec words
    parse_dockerfile "$name" || return 1
    ensure_rootfs
    [ -z "$STOPSIG" ] || log "docker import cannot set STOPSIGNAL $STOPSIG (declare stop_signal in compose)"
    if [ ${#COPIES[@]} -eq 0 ]; then
        tar="$ROOTFS_TAR"
    else
        cp "$ROOTFS_TAR" "$tar" || return 1
        for spec in "${COPIES[@]}"; do
            read -r -a words <<<"$spec"
            tar --numeric-owner --owner=0 --group=0 -C "$HERE/$name" --transform "s,^,.${words[-1]%/}/," \
                -rf "$tar" "${words[@]:0:${#words[@]}-1}" || return 1
        done
    fi
    docker import --change "$PATH_ENV" --change 'ENV LANG=C.UTF-8' "${CHANGES[@]}" \
        --change "LABEL $LABEL_KEY=$key" --change "LABEL org.opencontainers.image.title=secops-test-$name" \
        --message "docker-secops test image: $name (tests/images/$name)" "$tar" "${TAG[$name]}" >/dev/null
}

build_image() { # NAME
    local name="$1" tag="${TAG[$1]}" key
    build_base
    key="$(image_key "$name")"
    if [ "$FORCE" -eq 0 ] && is_fresh "$tag" "$key"; then
        log "$tag is up to date (cached); nothing to do"
        [ "$CHECK" -eq 0 ] || smoke "$tag" "${SMOKE[$name]}"
        return 0
    fi
    [ -z "$(image_id "$tag")" ] || [ "$FORCE" -gt 0 ] || log "$tag exists but its inputs changed; rebuilding"
    tmpdir
    if [ "${SECOPS_APP_BUILDER:-commit}" != import ] &&
        timed "docker create + cp + commit (FROM $BASE_TAG) -> $tag" build_commit "$name" "$key"; then
        :
    else
        [ "${SECOPS_APP_BUILDER:-commit}" = import ] ||
            log "docker commit failed; falling back to docker import (no STOPSIGNAL: declare stop_signal in compose)"
        timed "docker import (rootfs + tests/images/$name files) -> $tag" build_import "$name" "$key"
    fi
    log "$tag: $(docker image inspect --format 'entrypoint {{json .Config.Entrypoint}} cmd {{json .Config.Cmd}} stopsignal {{json .Config.StopSignal}} healthcheck {{json .Config.Healthcheck}}' "$tag")"
    if ! smoke "$tag" "${SMOKE[$name]}"; then
        docker rmi "$tag" >/dev/null 2>&1 || true
        die "removed $tag again since no container can run from it"
    fi
}

for w in "${WANT[@]}"; do
    build_image "$w"
done
# Dangling images left by rebuilds under the same tag are the test images' own; prune those only.
for id in $(docker images --quiet --filter dangling=true --filter "label=$LABEL_KEY"); do
    docker rmi "$id" >/dev/null 2>&1 || true
done
for t in "$BASE_TAG" "${TAG[@]}"; do
    id="$(image_id "$t")"
    [ -z "$id" ] || log "$t  ${id#sha256:}  $(docker image inspect --format '{{.Size}}' "$t" | awk '{printf "%.1f MB", $1/1e6}')"
done
log "all done"
