#!/usr/bin/env bash
# Runs the whole test suite on this machine: installs compose v2 and builds the registry-free test images when
# they are missing, then runs every test. Container tests are enabled only when the Docker engine answers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/install-deps.sh
if docker info >/dev/null 2>&1; then
  bash tests/images/build.sh
  export SECOPS_CONTAINER_TESTS=1
else
  echo "notice: docker info failed: container tests are skipped" >&2
fi
log="$(mktemp)"
# Tests that cannot run here (no MongoDB or MySQL image, no engine) append their names to this file
# (tests/it/support.rs `skip`): they are counted as skipped, not passed.
export SECOPS_SKIP_LOG="$(mktemp)"
trap 'rm -f "$log" "$SECOPS_SKIP_LOG"' EXIT
set +e
cargo test --locked --all-targets --features fault-injection 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test binary (cargo prints one per binary, the last often a 0-test one). A skipped
# test returned without failing, so cargo counted it as passed: it is taken out of "passed" and listed.
skipped=$(cut -f1 "$SECOPS_SKIP_LOG" | sort -u | wc -l)
if [ "$skipped" -gt 0 ]; then
  echo "skipped tests (they ran nothing here):"
  sort -u "$SECOPS_SKIP_LOG" | sed 's/^/  /; s/\t/: /'
fi
awk -v s="$skipped" '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed, %d skipped\n", p - s, f, s }' "$log"
exit "$status"
