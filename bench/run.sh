#!/usr/bin/env bash
# docker-secops benchmarks (issue 6): each figure against its baseline in the same run, alternating A and B.
#
# Usage: bench/run.sh [startup] [check] [memory] [rotation] [downtime] [keys] [swarm]   (no section = the first five)
#
# `swarm` is opt-in: a single-node swarm and a stack (bench/lib/swarm.sh), rotate --stack vs the same rolling
# update by hand, with the refused logins of each. `keys` is opt-in (never run by default): `check` on one env file of 5k to 40k secret keys
# (bench/gen_many_secrets.py), to catch work that grows faster than the number of keys.
#
# Env:  BENCH_OUT     work dir: generated repos, logs, JSON, results.tsv, table.md (default /tmp/secops-bench)
#       RUNS          timed runs of each command (default 5; startup uses STARTUP_RUNS, default 30)
#       CHECK_SIZES   commits of the generated histories (default "1000 5000 20000")
#       SERVICES      services / env files per repo (default: commits / 10, so 100, 500, 2000)
#       MEM_SERVICES  services of the memory section, the same at every size (default 100)
#       KEY_SIZES     secret keys of the one env file of the keys section (default "5000 10000 20000 40000")
#       BENCH_STORES  the stores of the rotation and downtime sections (default "redis postgres mariadb")
#       DB_PROBE      the database beds' login probe (default: examples/db_login_probe, built with the binary)
#       SECOPS        the docker-secops binary to measure (default: build this checkout with cargo --release,
#                     CARGO_TARGET_DIR honoured, then copy the binary to BENCH_OUT/bin so that a concurrent build
#                     cannot swap it mid-run)
#       BENCH_TOOLS   where dotenv-linter is installed with `cargo install --root` (default /work/.bench-tools,
#                     outside the repository); gitleaks comes from Debian trixie via bench/fetch_gitleaks.sh
#
# Needs: python3, git, GNU time (/usr/bin/time), cargo; docker with compose v2 and the local test images
# (tests/images/build.sh) for rotation and downtime. Every run is timed by bench/lib/measure.py (rounds A B, B A,
# ...; wall time, CPU, peak RSS via /usr/bin/time); rows go to BENCH_OUT/results.tsv, and the table is printed at
# the end and written to BENCH_OUT/table.md with the machine's description.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BENCH="$ROOT/bench"
LIB="$BENCH/lib"
OUT="${BENCH_OUT:-/tmp/secops-bench}"
RUNS="${RUNS:-5}"
STARTUP_RUNS="${STARTUP_RUNS:-30}"
CHECK_SIZES="${CHECK_SIZES:-1000 5000 20000}"
MEM_SERVICES="${MEM_SERVICES:-100}"
TOOLS="${BENCH_TOOLS:-/work/.bench-tools}"
RESULTS="$OUT/results.tsv"
BENCH_STORES="${BENCH_STORES:-redis postgres mariadb}"
mkdir -p "$OUT/logs"

ALL=(startup check memory rotation downtime)
OPTIONAL=(keys swarm)
SECTIONS=("$@")
[ ${#SECTIONS[@]} -gt 0 ] || SECTIONS=("${ALL[@]}")
for s in "${SECTIONS[@]}"; do
    case " ${ALL[*]} ${OPTIONAL[*]} " in
        *" $s "*) ;;
        *) echo "run.sh: unknown section '$s' (sections: ${ALL[*]} ${OPTIONAL[*]})" >&2; exit 2 ;;
    esac
done

log() { printf '\n== %s\n' "$*" >&2; }
measure() { python3 "$LIB/measure.py" "$@"; }
report() { python3 "$LIB/report.py" "$@"; }
row() { report row "$RESULTS" "$@"; }

# ------------------------------------------------------------------ setup
: > "$RESULTS"
if [ -z "${SECOPS:-}" ]; then
    log "building docker-secops (release) from $ROOT"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    cargo build -q --release --manifest-path "$ROOT/Cargo.toml" --bin docker-secops
    mkdir -p "$OUT/bin"
    cp "$CARGO_TARGET_DIR/release/docker-secops" "$OUT/bin/docker-secops.tmp"
    mv "$OUT/bin/docker-secops.tmp" "$OUT/bin/docker-secops"
    SECOPS="$OUT/bin/docker-secops"
    cargo build -q --release --manifest-path "$ROOT/Cargo.toml" --example db_login_probe
    cp "$CARGO_TARGET_DIR/release/examples/db_login_probe" "$OUT/bin/db_login_probe"
    BUILT_FROM="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?')"
else
    BUILT_FROM="SECOPS=$SECOPS"
fi
# The database beds' login probe (built beside the binary above, or given as DB_PROBE).
PROBE="${DB_PROBE:-$OUT/bin/db_login_probe}"
{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "docker-secops: $("$SECOPS" version 2>/dev/null | head -1) (built from $BUILT_FROM)"
    echo "nproc: $(nproc); $(uname -srm); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "memory (free -h): $(free -h | awk '/^Mem:/ {print "total " $2 ", used " $3 ", available " $7}')"
    if docker version >/dev/null 2>&1; then
        echo "docker version: server $(docker version -f '{{.Server.Version}}'), client $(docker version -f '{{.Client.Version}}'), $(docker compose version 2>/dev/null)"
    else
        echo "docker version: (no engine reachable)"
    fi
    echo "sections: ${SECTIONS[*]}; runs: $RUNS (startup $STARTUP_RUNS), alternating A B / B A"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

want() { case " ${SECTIONS[*]} " in *" $1 "*) return 0 ;; esac; return 1; }

# ------------------------------------------------------------------ 1. startup
section_startup() {
    log "startup: docker-secops vs docker-compose, docker-cli-plugin-metadata"
    local compose=""
    for c in "${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins/docker-compose" /usr/local/lib/docker/cli-plugins/docker-compose \
             /usr/libexec/docker/cli-plugins/docker-compose /usr/lib/docker/cli-plugins/docker-compose; do
        [ -x "$c" ] && { compose="$c"; break; }
    done
    if [ -z "$compose" ]; then
        row startup "plugin metadata" "-" "-" "docker-compose" "-" "skipped: compose v2 plugin not found"
        return
    fi
    # Wall time: spawned directly (no /usr/bin/time in between: its exec would add ~0.5 ms to a 2 ms figure).
    measure --no-time-wrapper --runs "$STARTUP_RUNS" --warmup 3 --json "$OUT/startup-wall.json" \
        "secops=$SECOPS docker-cli-plugin-metadata" "compose=$compose docker-cli-plugin-metadata"
    # Peak RSS: under /usr/bin/time (its "Maximum resident set size"), alternating as well.
    measure --runs "$RUNS" --warmup 1 --json "$OUT/startup-rss.json" \
        "secops=$SECOPS docker-cli-plugin-metadata" "compose=$compose docker-cli-plugin-metadata"
    local cver
    cver="$("$compose" version --short 2>/dev/null || echo '?')"
    report pair "$RESULTS" "$OUT/startup-wall.json" startup "wall, plugin metadata ($STARTUP_RUNS runs)" \
        secops compose "docker-compose $cver"
    report pair "$RESULTS" "$OUT/startup-rss.json" startup "peak RSS, plugin metadata" secops compose \
        "docker-compose $cver" --metric maxrss_mib
}

# ------------------------------------------------------------------ 2. check
GITLEAKS=""
DOTENV_LINTER=""
tools_check() {
    GITLEAKS="$(bash "$BENCH/fetch_gitleaks.sh" "$OUT/gitleaks")"
    DOTENV_LINTER="$TOOLS/bin/dotenv-linter"
    if [ ! -x "$DOTENV_LINTER" ]; then
        log "installing dotenv-linter from crates.io into $TOOLS"
        cargo install -q dotenv-linter --locked --root "$TOOLS"
    fi
}

# repo_for N [S] -> prints the compose file of the generated repo with N commits and S services
repo_for() {
    local n="$1" s="${2:-${SERVICES:-$(($1 / 10))}}"
    python3 "$BENCH/gen_check_project.py" "$n" "$OUT/repo-$n" --services "$s"
}

section_check() {
    tools_check
    local gl_ver dl_ver
    # trixie's build prints "version is set by build process": take the version from the package's changelog.
    gl_ver="$(zcat "$OUT/gitleaks/usr/share/doc/gitleaks/changelog.Debian.gz" 2>/dev/null | sed -n '1s/.*(\([^)-]*\).*/\1/p')"
    dl_ver="$("$DOTENV_LINTER" --version | awk '{print $2}')"
    for n in $CHECK_SIZES; do
        local s="${SERVICES:-$((n / 10))}" compose repo
        log "check: $n commits, $s services / env files"
        compose="$(repo_for "$n" "$s")"
        repo="$OUT/repo-$n"
        echo "  pack $(du -sh "$repo/.git/objects/pack" | cut -f1), $(git -C "$repo" rev-list --all | wc -l) commits reachable" >&2

        # (a) the whole check, history scan on, vs gitleaks' git mode. gitleaks 8.16 (trixie) has no `gitleaks git`
        # subcommand: `detect --source` is its git mode (it reads `git log -p`).
        measure --runs "$RUNS" --warmup 1 --json "$OUT/check-history-$n.json" \
            "secops=$SECOPS check -f $compose --format json --fail-on never" \
            "gitleaks=$GITLEAKS detect --source $repo --no-banner --exit-code 0 --report-path /dev/null"
        report pair "$RESULTS" "$OUT/check-history-$n.json" check "history: $n commits, $s services" \
            secops gitleaks "gitleaks $gl_ver detect" --note "secops: every check, history scan on"

        # (b) the env-file part vs dotenv-linter on the same files (dotenv-linter runs all its 14 checks).
        local files=()
        for ((i = 0; i < s; i++)); do files+=("$repo/envs/.env.svc$(printf %04d "$i")"); done
        printf '%s\n' "${files[@]}" > "$OUT/env-files-$n.txt"
        measure --runs "$RUNS" --warmup 1 --ok-codes 0,1 --json "$OUT/check-env-$n.json" \
            "secops=$SECOPS check -f $compose --no-history --only env-syntax --only env-duplicate-key --format json --fail-on never" \
            "dotenv-linter=$DOTENV_LINTER check --plain --quiet --skip-updates ${files[*]}"
        report pair "$RESULTS" "$OUT/check-env-$n.json" check "env files: $s files" \
            secops dotenv-linter "dotenv-linter $dl_ver"

        # What each found (same files): duplicate keys and unparsable lines.
        "$SECOPS" check -f "$compose" --no-history --only env-syntax --only env-duplicate-key --format json \
            --fail-on never > "$OUT/check-env-$n.secops.json"
        "$DOTENV_LINTER" check --plain --skip-updates "${files[@]}" > "$OUT/check-env-$n.dotenv-linter.txt" || true
        python3 - "$OUT/check-env-$n.secops.json" "$OUT/check-env-$n.dotenv-linter.txt" <<'PY' >&2
import collections, json, re, sys
ours = collections.Counter(f["check"] for f in json.load(open(sys.argv[1]))["findings"])
theirs = collections.Counter(m.group(1) for m in map(re.compile(r":\d+ (\w+):").search, open(sys.argv[2])) if m)
print(f"  found: secops {dict(ours)}; dotenv-linter {dict(theirs)}")
PY
    done
}

# ------------------------------------------------------------------ 3. memory
section_memory() {
    log "memory: peak RSS of check at each history size, $MEM_SERVICES services everywhere"
    local specs=() largest_blob=0 sizes=()
    for n in $CHECK_SIZES; do
        local compose repo blob
        compose="$(repo_for "$n" "$MEM_SERVICES")"
        repo="$OUT/repo-$n"
        blob="$(git -C "$repo" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
            awk '$1 == "blob" && $2 > m {m = $2} END {print m + 0}')"
        echo "  $n commits: pack $(du -sh "$repo/.git/objects/pack" | cut -f1), largest blob $((blob / 1024)) KiB" >&2
        [ "$blob" -gt "$largest_blob" ] && largest_blob="$blob"
        specs+=("n$n=$SECOPS check -f $compose --format json --fail-on never")
        sizes+=("$n")
    done
    measure --runs "$RUNS" --warmup 1 --sample-anon --json "$OUT/memory.json" "${specs[@]}"
    python3 - "$OUT/memory.json" "$RESULTS" "$largest_blob" "$MEM_SERVICES" "${sizes[@]}" <<'PY'
import json, sys
rep, results, blob, services = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), sys.argv[4]
sizes = sys.argv[5:]
rows = [rep[f"n{n}"] for n in sizes]
rss = " / ".join(f"{r['maxrss_mib']:.0f}" for r in rows)
anon = " / ".join(f"{r['anon_max_mib']:.1f}" for r in rows)
label = " / ".join(f"{int(n) // 1000}k" for n in sizes)
growth = rows[-1]["anon_max_mib"] - rows[0]["anon_max_mib"]
blob_mib = blob / 1048576
verdict = "ok" if growth <= max(blob_mib, 1.0) else "grows"
with open(results, "a") as f:
    f.write(f"memory\tpeak RSS of check, {label} commits ({services} services)\t{rss} MiB\t-\t-\t-\t"
            "RSS counts the mmapped pack (file-backed)\n")
    f.write(f"memory\tpeak anonymous memory of check, {label}\t{anon} MiB\t-\t-\t-\t"
            f"growth {growth:.1f} MiB vs largest blob {blob_mib:.2f} MiB: {verdict}\n")
PY
    # The largest repository with its full service count, from the check section when it ran.
    local big="${CHECK_SIZES##* }"
    if [ -f "$OUT/check-history-$big.json" ] && want check; then
        python3 - "$OUT/check-history-$big.json" "$RESULTS" "$big" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
s, g = rep["secops"], rep["gitleaks"]
with open(sys.argv[2], "a") as f:
    f.write(f"memory\tpeak RSS, check vs gitleaks on the {int(sys.argv[3]) // 1000}k repo (all services)\t"
            f"{s['maxrss_mib']:.0f} MiB\t{g['maxrss_mib']:.0f} MiB\tgitleaks detect\t"
            f"{s['maxrss_mib'] / g['maxrss_mib']:.2f}\t\n")
PY
    fi
}

# ------------------------------------------------------------------ 4./5. rotation and downtime
TB=""
tb_teardown() {
    [ -d "$OUT/logs/downtime" ] && touch "$OUT/logs/downtime/stop" # a probe still running ends at its next tick
    if [ -n "$TB" ] && [ -f "$TB/compose.yaml" ]; then
        log "tearing the test bed down"
        bash "$LIB/testbed.sh" down "$TB" || true
    fi
    for bed in "${DB_BEDS[@]}"; do
        docker compose -f "$OUT/bed-$bed/compose.yaml" -p "secops-bench-$bed-$$" down -v --remove-orphans \
            >/dev/null 2>&1 || true
    done
}
DB_BEDS=()
trap tb_teardown EXIT
trap 'exit 130' INT TERM

testbed_ready() { # -> 0 when the test bed is up (brings it up once per run.sh), 1 when it cannot run here
    if [ -n "$TB" ]; then return 0; fi
    if ! docker info >/dev/null 2>&1 || ! docker compose version >/dev/null 2>&1; then
        echo "no docker engine or compose v2" > "$OUT/testbed.skip"; return 1
    fi
    if ! docker image inspect secops-test/redis:7 secops-test/app:1 >/dev/null 2>&1; then
        echo "test images missing: run tests/images/build.sh" > "$OUT/testbed.skip"; return 1
    fi
    local name="secops-bench-$$-$RANDOM"
    TB="$OUT/testbed-$name"
    bash "$LIB/testbed.sh" make "$TB" "$name" "$SECOPS"
    log "test bed $name: redis + app1..3 ($TB/compose.yaml)"
    bash "$LIB/testbed.sh" up "$TB"
}

rotate_built() { "$SECOPS" rotate --help >/dev/null 2>&1; }

section_rotation() {
    for kind in $BENCH_STORES; do
        if [ "$kind" = redis ]; then section_redis_rotation; else section_db_rotation "$kind"; fi
    done
}

section_redis_rotation() {
    log "rotation: docker-secops rotate redis vs docker compose up -d --force-recreate --no-deps app1 app2 app3"
    if ! testbed_ready; then
        row rotation "rotate redis" "-" "-" "compose recreate" "-" "skipped: $(cat "$OUT/testbed.skip")"
        return
    fi
    local c="$TB/compose.yaml" B specs
    B="docker compose -f $c up -d --force-recreate --no-deps app1 app2 app3"
    local rotate_ok=0
    if rotate_built; then
        rotate_ok=1
    else
        echo "rotation: skipped (rotate not built yet)" >&2
    fi
    rm -rf "$OUT/logs/rotation"
    # What the rotation recreates is the consumers and the store service: the issue's baseline recreates all four
    # in one compose call and waits for their health (compose orders redis before its dependants).
    specs=("recreate=$B" "recreate-wait=$B --wait"
        "recreate-all-wait=docker compose -f $c up -d --force-recreate --wait redis app1 app2 app3")
    if [ "$rotate_ok" = 1 ] && ! measure --runs "$RUNS" --warmup 1 --log-dir "$OUT/logs/rotation" \
            --json "$OUT/rotation.json" --between "bash $LIB/testbed.sh wait $TB && sleep 1" \
            "rotate=$SECOPS rotate redis --yes -f $c" "${specs[@]}"; then
        echo "rotation: docker-secops rotate failed; logs in $OUT/logs/rotation; measuring the baseline alone" >&2
        rotate_ok=failed
    fi
    if [ "$rotate_ok" = 1 ]; then
        report pair "$RESULTS" "$OUT/rotation.json" rotation "rotate redis, vs redis + 3 consumers recreated, --wait" \
            rotate recreate-all-wait "compose up --force-recreate --wait redis app1..3" --note "goal <= 1.25"
        report pair "$RESULTS" "$OUT/rotation.json" rotation "rotate redis, vs the 3 consumers recreated" rotate \
            recreate "compose up --force-recreate --no-deps"
        report pair "$RESULTS" "$OUT/rotation.json" rotation "rotate redis, vs the 3 consumers recreated, --wait" \
            rotate recreate-wait "compose up --force-recreate --no-deps --wait"
        # Per-step breakdown: "[   1.2s] ok set               0.35s  detail" lines on rotate's stderr.
        python3 - "$OUT/logs/rotation" "$RESULTS" <<'PY'
import glob, re, statistics, sys
step_re = re.compile(r"^\[\s*[\d.]+s\]\s+\S+\s+(.+?)\s+([\d.]+)s(?:\s|$)")
steps = {}
for path in sorted(glob.glob(f"{sys.argv[1]}/rotate.[0-9]*.err")):
    for line in open(path, errors="replace"):
        m = step_re.match(re.sub(r"\x1b\[[0-9;]*m", "", line.rstrip("\n")))
        if m:
            steps.setdefault(m.group(1), []).append(float(m.group(2)))
with open(sys.argv[2], "a") as f:
    if not steps:
        f.write("rotation\tper-step breakdown\t-\t-\t-\t-\tno step lines on rotate's stderr\n")
    for name, times in steps.items():
        med = statistics.median(times)
        f.write(f"rotation\tstep: {name}\t{med * 1000:.0f} ms\t-\t-\t-\tmedian of {len(times)}\n")
PY
        return
    fi
    measure --runs "$RUNS" --warmup 1 --log-dir "$OUT/logs/rotation" --json "$OUT/rotation.json" \
        --between "bash $LIB/testbed.sh wait $TB && sleep 1" "${specs[@]}"
    local why="skipped (rotate not built yet)"
    [ "$rotate_ok" = failed ] && why="failed: see $OUT/logs/rotation/rotate.*.err"
    row rotation "rotate redis, 3 consumers" "$why" "$(report get "$OUT/rotation.json" recreate)" \
        "compose up --force-recreate" "-" "baseline alone, proves the harness"
    row rotation "baseline with --wait" "-" "$(report get "$OUT/rotation.json" recreate-wait)" \
        "compose up --force-recreate --wait" "-" ""
    row rotation "baseline: redis + consumers, --wait" "-" "$(report get "$OUT/rotation.json" recreate-all-wait)" \
        "compose up --force-recreate --wait redis app1..3" "-" ""
}

# probe_during LABEL CMD... : runs the probe, then CMD, then 1 s more; appends the counts as a row.
probe_during() {
    local label="$1" note="$2"
    shift 2
    local host port dir="$OUT/logs/downtime"
    mkdir -p "$dir"
    bash "$LIB/testbed.sh" wait "$TB"
    read -r host port < <(bash "$LIB/testbed.sh" addr "$TB")
    local stop="$dir/stop" ready="$dir/ready" out="$dir/$label.json"
    rm -f "$stop" "$ready" "$out"
    python3 "$LIB/redis_probe.py" --host "$host" --port "$port" --env-file "$TB/.env.bench" \
        --project "$(basename "$TB" | sed 's/^testbed-//')" --services app1,app2,app3 \
        --stop-file "$stop" --ready-file "$ready" --out "$out" &
    local probe=$!
    for _ in $(seq 100); do [ -f "$ready" ] && break; sleep 0.05; done
    if [ ! -f "$ready" ]; then
        touch "$stop"; wait "$probe" || true
        row downtime "$label" "-" "-" "-" "-" "probe never authenticated before the run"
        return
    fi
    sleep 0.5
    local rc=0
    "$@" > "$dir/$label.out" 2> "$dir/$label.err" || rc=$?
    sleep 1
    touch "$stop"
    wait "$probe" || true
    python3 - "$out" "$RESULTS" "$label" "$note" "$rc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
label, note, rc = sys.argv[3], sys.argv[4], sys.argv[5]
gap = r["longest_failing_ticks"] * r["interval"] * 1000
cell = f"{r['rejected']} rejected, {r['conn_errors']} conn errors / {r['checks']} checks"
extra = f"; exit {rc}" if rc != "0" else ""
with open(sys.argv[2], "a") as f:
    f.write(f"downtime\t{label}\t{cell}\t-\t-\t-\tlongest failing stretch {gap:.0f} ms{extra}; {note}\n")
print(f"  {label}: {cell}, errors {r['errors']}, longest failing stretch {gap:.0f} ms", file=sys.stderr)
PY
}

manual_rotation() { # the runbook done by hand: new value in the env file, then recreate everything
    local new
    new="$("$SECOPS" generate --kind password)"
    python3 - "$TB/.env.bench" "$new" <<'PY'
import os, sys
path, new = sys.argv[1], sys.argv[2]
lines = [f"REDIS_PASSWORD={new}\n" if l.startswith("REDIS_PASSWORD=") else l for l in open(path)]
open(path + ".tmp", "w").writelines(lines)
os.chmod(path + ".tmp", 0o600)
os.replace(path + ".tmp", path)
PY
    docker compose -f "$TB/compose.yaml" up -d --force-recreate
}

section_downtime() {
    for kind in $BENCH_STORES; do
        if [ "$kind" = redis ]; then section_redis_downtime; else section_db_downtime "$kind"; fi
    done
}

section_redis_downtime() {
    log "downtime: AUTH + PING every 10 ms with the credentials the consumers hold"
    if ! testbed_ready; then
        row downtime "during rotate redis" "-" "-" "-" "-" "skipped: $(cat "$OUT/testbed.skip")"
        return
    fi
    local c="$TB/compose.yaml"
    if rotate_built; then
        for i in $(seq 1 "${DOWNTIME_RUNS:-3}"); do
            probe_during "rotate redis #$i" "goal: 0 rejected" "$SECOPS" rotate redis --yes -f "$c"
        done
    else
        echo "rotation: skipped (rotate not built yet)" >&2
        row downtime "during rotate redis" "skipped (rotate not built yet)" "-" "-" "-" ""
    fi
    probe_during "recreate consumers only" "baseline: no password change, expect 0 / 0" \
        docker compose -f "$c" up -d --force-recreate --no-deps app1 app2 app3
    probe_during "manual runbook (control)" "edit env file + up --force-recreate of all: the probe must see it" \
        manual_rotation
}

# ------------------------------------------------------------------ 4b./5b. database beds
# PostgreSQL (rotate postgres: no second password) and MariaDB (rotate MARIADB_ROOT_PASSWORD: dual window), each
# the live test fixture (tests/fixtures/live-postgres, live-mariadb: the database on a named volume and two
# consumers, one with a DATABASE_URL) under its own project; the probe is examples/db_login_probe.rs, a fresh
# login + SELECT 1 every 20 ms with the password one consumer container holds now.
db_bed_args() { # KIND -> "TARGET CONSUMERS DB_SERVICE USER DATABASE PROBE_SERVICE PROBE_VAR PORT"
    case "$1" in
        postgres) echo "postgres api,worker db app app worker PGPASSWORD 5432" ;;
        mariadb) echo "MARIADB_ROOT_PASSWORD api,admin mariadb root app admin DB_PASSWORD 3306" ;;
    esac
}

db_bed_ready() { # KIND -> 0 when its bed is up (once per run.sh)
    local kind="$1" dir="$OUT/bed-$1"
    case " ${DB_BEDS[*]} " in *" $kind "*) return 0 ;; esac
    docker image inspect "secops-test/$kind:$([ "$kind" = postgres ] && echo 15 || echo 10.11)" secops-test/app:1 \
        >/dev/null 2>&1 || return 1
    rm -rf "$dir"
    cp -r "$ROOT/tests/fixtures/live-$kind" "$dir"
    DB_BEDS+=("$kind")
    docker compose -f "$dir/compose.yaml" -p "secops-bench-$kind-$$" up -d --wait >/dev/null 2>&1 || {
        echo "$kind bed: not healthy (see docker compose -p secops-bench-$kind-$$ ps)" >&2
        return 1
    }
}

db_compose() { local kind="$1"; shift; docker compose -f "$OUT/bed-$kind/compose.yaml" -p "secops-bench-$kind-$$" "$@"; }

section_db_rotation() { # KIND
    local kind="$1" target consumers _rest
    read -r target consumers _rest < <(db_bed_args "$kind")
    if ! db_bed_ready "$kind"; then
        row rotation "rotate $target ($kind)" "-" "-" "compose up --wait" "-" "skipped: no $kind test image or bed"
        return
    fi
    local c="$OUT/bed-$kind/compose.yaml" p="secops-bench-$kind-$$"
    rm -rf "$OUT/logs/rotation-$kind"
    if measure --runs "$RUNS" --warmup 1 --log-dir "$OUT/logs/rotation-$kind" --json "$OUT/rotation-$kind.json" \
            --between "docker compose -f $c -p $p up -d --wait >/dev/null 2>&1 && sleep 1" \
            "rotate=$SECOPS rotate $target --yes -f $c -p $p" \
            "recreate-wait=docker compose -f $c -p $p up -d --wait --force-recreate --no-deps ${consumers//,/ }"; then
        report pair "$RESULTS" "$OUT/rotation-$kind.json" rotation "rotate $target ($kind), 2 consumers" rotate \
            recreate-wait "compose up --force-recreate --wait of ${consumers}"
    else
        row rotation "rotate $target ($kind)" "failed: see $OUT/logs/rotation-$kind" "-" "-" "-" ""
    fi
}

section_db_downtime() { # KIND
    local kind="$1" target consumers db user database service var port
    read -r target consumers db user database service var port < <(db_bed_args "$kind")
    if ! db_bed_ready "$kind"; then
        row downtime "during rotate $target ($kind)" "-" "-" "-" "-" "skipped: no $kind test image or bed"
        return
    fi
    local c="$OUT/bed-$kind/compose.yaml" p="secops-bench-$kind-$$" dir="$OUT/logs/downtime-$kind" host
    mkdir -p "$dir"
    for i in $(seq 1 "${DOWNTIME_RUNS:-3}"); do
        if ! db_compose "$kind" up -d --wait >/dev/null 2>&1; then
            row downtime "rotate $target ($kind) #$i" "-" "-" "-" "-" "skipped: the bed was not healthy"
            continue
        fi
        host="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' \
            "$(db_compose "$kind" ps -q "$db")" | awk '{print $1}')"
        local label="rotate $target ($kind) #$i" stop="$dir/stop" ready="$dir/ready" out="$dir/$i.json"
        rm -f "$stop" "$ready" "$out"
        "$PROBE" "$kind" "$host" "$port" "$user" "$database" "$p" "$service" "$var" "$stop" "$ready" "$out" 20 &
        local probe=$!
        for _ in $(seq 200); do [ -f "$ready" ] && break; sleep 0.05; done
        sleep 0.5
        local rc=0
        "$SECOPS" rotate "$target" --yes -f "$c" -p "$p" > "$dir/$i.out" 2> "$dir/$i.err" || rc=$?
        sleep 1
        touch "$stop"
        wait "$probe" || true
        python3 - "$out" "$RESULTS" "$label" "$rc" "$kind" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
label, rc, kind = sys.argv[3], sys.argv[4], sys.argv[5]
cell = f"{r['rejected']} rejected, {r['conn_errors']} conn errors / {r['checks']} logins"
goal = "no second password: rejections until the consumer is recreated" if kind == "postgres" else "goal: 0 rejected (dual window)"
extra = f"; exit {rc}" if rc != "0" else ""
with open(sys.argv[2], "a") as f:
    f.write(f"downtime\t{label}\t{cell}\t-\t-\t-\tlongest failing run {r['longest_failing_ticks']} logins{extra}; {goal}\n")
print(f"  {label}: {cell}, errors {r['errors']}", file=sys.stderr)
PY
    done
}

# ------------------------------------------------------------------ 6. keys (opt-in)
section_keys() {
    log "keys: check on one env file of many secret keys (every check; no git, so no history scan)"
    local specs=() sizes=()
    for n in ${KEY_SIZES:-5000 10000 20000 40000}; do
        specs+=("k$n=$SECOPS check -f $(python3 "$BENCH/gen_many_secrets.py" "$n" "$OUT/keys-$n") --format json --fail-on never")
        sizes+=("$n")
    done
    measure --runs "$RUNS" --warmup 1 --json "$OUT/keys.json" "${specs[@]}"
    for n in "${sizes[@]}"; do
        row check "one env file of $n secret keys" "$(report get "$OUT/keys.json" "k$n") / $(report get "$OUT/keys.json" "k$n" maxrss_mib)" \
            - - - "wall / peak RSS; bench/gen_many_secrets.py"
    done
}

# shellcheck source=bench/lib/swarm.sh
source "$LIB/swarm.sh"

for s in "${SECTIONS[@]}"; do "section_$s"; done

{
    cat "$OUT/machine.txt"
    echo
    report table "$RESULTS"
} > "$OUT/table.md"
echo >&2
cat "$OUT/table.md"
