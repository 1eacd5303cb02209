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
trap 'rm -f "$log"' EXIT
set +e
cargo test --locked --all-targets --features fault-injection 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line over every test binary (cargo prints one per binary, the last often a 0-test one).
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
