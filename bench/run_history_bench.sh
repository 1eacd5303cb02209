#!/usr/bin/env bash
# History-scan benchmark (issue 3): `GitRepo::scan_history` against `gitleaks detect` on generated repositories.
#
# Usage: bash bench/run_history_bench.sh [N ...]     (default: 1000 5000 commits)
# Env:   BENCH_OUT (default /tmp/secops-bench), RUNS (hyperfine runs, default 5), CARGO_TARGET_DIR.
# Needs: python3, git, hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time, apt-get install time);
#        gitleaks is fetched from Debian trixie by bench/fetch_gitleaks.sh without touching the apt setup.
#
# For each N: generate the repo (bench/gen_history_repo.py, cached in BENCH_OUT), time both tools with hyperfine
# (alternating is not needed: hyperfine runs each command RUNS times after a warm-up, page cache warm for both),
# take peak RSS from /usr/bin/time -v, and check which of the ten needles each tool reports. gitleaks matches
# regex rules, not values: it can only find a needle one of its rules happens to cover.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${BENCH_OUT:-/tmp/secops-bench}"
RUNS="${RUNS:-5}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$OUT"

GITLEAKS="$(bash "$ROOT/bench/fetch_gitleaks.sh" "$OUT/gitleaks")"
cargo build -q --release --example scan_history --manifest-path "$ROOT/Cargo.toml"
SCAN="$CARGO_TARGET_DIR/release/examples/scan_history"

peak_rss_mib() { # command... -> peak resident set size in MiB
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ {printf "%.0f", $6 / 1024}'
}

[ $# -gt 0 ] || set -- 1000 5000
for n in "$@"; do
    repo="$OUT/repo-$n"
    [ -d "$repo" ] || python3 "$ROOT/bench/gen_history_repo.py" "$n" "$repo"
    needles="$repo/.git/bench-needles"
    echo "== $n commits: $(git -C "$repo" rev-list --all | wc -l) reachable, pack $(du -sh "$repo/.git/objects/pack" | cut -f1)"
    "$SCAN" "$repo" "$needles" | sed -n 1p

    hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/hyperfine-$n.json" \
        -n secops "$SCAN $repo $needles" \
        -n gitleaks "$GITLEAKS detect --source $repo --no-banner --exit-code 0 --report-path /dev/null" >/dev/null
    python3 - "$OUT/hyperfine-$n.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"{r['command']:>9}: median {r['median']:.3f} s  mean {r['mean']:.3f} ± {r['stddev']:.3f} s  "
          f"user {r['user']:.3f} s  (min {r['min']:.3f}, max {r['max']:.3f})")
PY
    echo "  peak RSS: secops $(peak_rss_mib "$SCAN" "$repo" "$needles") MiB, gitleaks" \
        "$(peak_rss_mib "$GITLEAKS" detect --source "$repo" --no-banner --exit-code 0 --report-path /dev/null) MiB" \
        "(largest process of its tree, \`git log -p\` included)"

    "$SCAN" "$repo" "$needles" | sed -n 's/^needles found: //p' > "$OUT/secops-found-$n.txt"
    "$GITLEAKS" detect --source "$repo" --no-banner --exit-code 0 --report-format json \
        --report-path "$OUT/gitleaks-$n.json" 2>/dev/null
    python3 - "$needles" "$OUT/gitleaks-$n.json" "$OUT/secops-found-$n.txt" <<'PY'
import json, sys
needles = [l for l in open(sys.argv[1]).read().splitlines() if l]
findings = json.load(open(sys.argv[2]))
ours = set(json.loads(open(sys.argv[3]).read()))
for i, needle in enumerate(needles):
    rules = sorted({f["RuleID"] for f in findings if needle in f["Secret"] or needle in f["Match"]})
    print(f"  needle {i}: secops {'found' if i in ours else '-':5}  gitleaks {', '.join(rules) or '-'}")
print(f"  gitleaks findings in total: {len(findings)}")
PY
done
