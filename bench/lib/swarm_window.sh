#!/usr/bin/env bash
# One timed run of the swarm section (bench/lib/swarm.sh), its start and end appended to DIR/windows.tsv.
#   swarm_window.sh secops DIR SECOPS   docker-secops rotate redis_pw --stack
#   swarm_window.sh manual DIR          the same rolling update by hand
#   swarm_window.sh ready DIR           (untimed, before each run) save the app tasks' logs, then wait until every
#                                       task runs, plus 1 s
#   swarm_window.sh snapshot DIR        save the logs of every app task container (Swarm keeps only the last
#                                       tasks of each slot: older containers and their logs go away)
set -euo pipefail
mode="$1" dir="$2"
cd "$dir"
export STACK="$SWARM_STACK"
running() { docker service ps --filter desired-state=running --format '{{.CurrentState}}' "$1" | grep -c '^Running' || true; }
snapshot() {
    mkdir -p logs
    for id in $(docker ps -aq --no-trunc --filter "label=com.docker.swarm.service.name=${STACK}_app"); do
        docker logs --timestamps "$id" > "logs/$id.log" 2>&1 || true
    done
}
case "$mode" in
snapshot) snapshot; exit 0 ;;
ready)
    snapshot
    for _ in $(seq 360); do
        if [ "$(running "${STACK}_redis")" = 1 ] && [ "$(running "${STACK}_app")" = 2 ]; then
            sleep 1; exit 0
        fi
        sleep 0.5
    done
    exit 1 ;;
secops)
    start=$(date +%s.%N)
    "$3" rotate redis_pw -f stack.yml --stack "$STACK" --yes --timeout 240 >/dev/null
    ;;
manual)
    start=$(date +%s.%N)
    old=$(docker service inspect "${STACK}_app" --format '{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}}{{end}}')
    base="${old%_*}" version="${old##*_}"
    new="${base}_$((version + 1))"
    while docker secret inspect "$new" >/dev/null 2>&1; do version=$((version + 1)); new="${base}_$((version + 1))"; done
    python3 -c 'import secrets; print("bench-" + secrets.token_hex(16))' > redis_pw.txt.new
    mv redis_pw.txt.new redis_pw.txt
    docker secret create --label "com.docker.stack.namespace=$STACK" "$new" redis_pw.txt >/dev/null
    # Redis first (it reads the password at start), then the app: the order that leaves no task on a value that
    # no Redis accepts for longer than its own update.
    for svc in redis app; do
        docker service update --quiet --secret-rm "$old" --secret-add "source=$new,target=redis_pw" "${STACK}_$svc" >/dev/null
    done
    docker secret rm "$old" >/dev/null
    ;;
*) echo "swarm_window.sh: unknown mode $mode" >&2; exit 2 ;;
esac
printf '%s\t%s\t%s\n' "$mode" "$start" "$(date +%s.%N)" >> windows.tsv
