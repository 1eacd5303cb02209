#!/usr/bin/env bash
# A stand-in for `docker-secops rotate redis --yes -f COMPOSE`, to prove the rotation and downtime harness before
# the real command exists. NOT the product: it does by hand, with redis-cli in the redis container, what a rotation
# with a dual-password window does, and prints the same per-step lines on stderr. Every other command goes to the
# real binary (REAL_SECOPS).
#
#   SECOPS=bench/lib/stand-in-rotate.sh REAL_SECOPS=/path/to/docker-secops bench/run.sh rotation downtime
#
# Steps: plan (read the env file), set (ACL SETUSER default >new: both passwords work), test (a fresh login with the
# new one), commit (rewrite the env file), recreate (compose up -d --force-recreate --no-deps of the consumers),
# finish (ACL SETUSER default <old).
set -euo pipefail
REAL="${REAL_SECOPS:?REAL_SECOPS must name the real docker-secops}"
if [ "${1:-}" != rotate ]; then exec "$REAL" "$@"; fi
[ "${2:-}" = --help ] && { echo "stand-in rotate (bench/lib/stand-in-rotate.sh)"; exit 0; }
[ "$2" = redis ] && [ "$3" = --yes ] && [ "$4" = -f ] || { echo "stand-in: usage: rotate redis --yes -f FILE" >&2; exit 2; }
compose="$5"
dir="$(dirname "$compose")"
envf="$dir/.env.bench"
t0=$(date +%s.%N)
ts=$t0
step() { # name detail
    local now; now=$(date +%s.%N)
    awk -v a="$t0" -v b="$ts" -v n="$now" -v s="$1" -v d="$2" \
        'BEGIN { printf "[%6.1fs] ok %-17s %6.2fs  %s\n", n - a, s, n - b, d }' >&2
    ts=$now
}
rcli() { docker exec -i -e REDISCLI_AUTH="$1" "$rid" redis-cli --no-auth-warning "${@:2}"; }

old="$(sed -n 's/^REDIS_PASSWORD=//p' "$envf" | tail -1)"
new="$("$REAL" generate --kind password)"
rid="$(docker compose -f "$compose" ps -q redis)"
step plan "redis: REDIS_PASSWORD, consumers app1 app2 app3"
[ "$(rcli "$old" ACL SETUSER default on ">$new")" = OK ]
step set "redis accepts both passwords"
[ "$(rcli "$new" PING)" = PONG ]
step test "fresh login with the new value"
sed "s/^REDIS_PASSWORD=.*/REDIS_PASSWORD=$new/" "$envf" > "$envf.tmp" && chmod 600 "$envf.tmp" && mv "$envf.tmp" "$envf"
step commit "wrote $(basename "$envf")"
docker compose -f "$compose" up -d --force-recreate --no-deps app1 app2 app3 2>/dev/null
step recreate "app1, app2, app3"
[ "$(rcli "$new" ACL SETUSER default "<$old")" = OK ]
step finish "old password revoked"
