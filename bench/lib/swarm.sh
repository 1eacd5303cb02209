# The swarm section of bench/run.sh (sourced; opt-in: `bash bench/run.sh swarm`). On a single-node swarm made
# here (only when none is active; always left again, with the docker_gwbridge it made), a stack of Redis reading
# its password from a file secret and an app with 2 replicas reading the same secret (bench/lib/swarm-stack.yml).
#   A: docker-secops rotate redis_pw --stack    (new versioned object, dual window, rolling updates, old object out)
#   B: the same rolling update by hand, the way Docker's docs rotate a secret: a new value in the file, a new secret
#      object from it, `docker service update --secret-rm OLD --secret-add source=NEW,target=redis_pw` of redis,
#      then of the app (each waits until converged), the old object removed.
# Each run is timed by measure.py (alternating A B / B A) and bracketed by bench/lib/swarm_window.sh, which writes
# its start and end; afterwards every app task container's log (with timestamps) is split by those windows, and
# each window's probe answers counted: ok, refused (WRONGPASS/NOAUTH), connection errors.

swarm_started=0
swarm_had_gateway=0
swarm_leave() {
    if [ -n "${SWARM_STACK:-}" ]; then
        docker stack rm "$SWARM_STACK" >/dev/null 2>&1 || true
        for _ in $(seq 120); do
            [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$SWARM_STACK")" ] && break
            sleep 0.5
        done
        for _ in $(seq 60); do # a volume still held by a container that is going away is refused: try again
            docker volume rm "${SWARM_STACK}_redis-data" >/dev/null 2>&1 && break
            docker volume inspect "${SWARM_STACK}_redis-data" >/dev/null 2>&1 || break
            sleep 0.5
        done
        docker secret ls --format '{{.Name}}' | grep "^${SWARM_STACK}_" | xargs -r docker secret rm >/dev/null 2>&1 || true
    fi
    if [ "$swarm_started" = 1 ]; then
        docker swarm leave --force >/dev/null 2>&1 || true
        [ "$swarm_had_gateway" = 1 ] || docker network rm docker_gwbridge >/dev/null 2>&1 || true
    fi
}

section_swarm() {
    log "swarm: rotate a file secret on a stack vs the same rolling update by hand"
    if ! docker image inspect secops-test/redis:7 secops-test/app:1 >/dev/null 2>&1; then
        row swarm "rotate redis_pw --stack" "skipped: no test images (tests/images/build.sh)" - - - -
        return
    fi
    # No compose bed beside a swarm starting and leaving (compose stacks lost name resolution then, see
    # tests/it/live/engine_mode.rs): the earlier sections' beds go down first, a later section makes them again.
    tb_teardown; TB=""; DB_BEDS=()
    case "$(docker info --format '{{.Swarm.LocalNodeState}}')" in
        inactive)
            docker network inspect docker_gwbridge >/dev/null 2>&1 && swarm_had_gateway=1
            docker swarm init --advertise-addr 127.0.0.1 >/dev/null
            swarm_started=1 ;;
        active) ;;
        *) row swarm "rotate redis_pw --stack" "skipped: swarm neither active nor inactive" - - - -; return ;;
    esac
    trap 'swarm_leave; tb_teardown' EXIT
    export SWARM_STACK="secopsbench$$"
    local dir="$OUT/swarm"
    rm -rf "$dir"; mkdir -p "$dir"
    cp "$LIB/swarm-stack.yml" "$dir/stack.yml"
    python3 -c 'import secrets; print("bench-" + secrets.token_hex(16))' > "$dir/redis_pw.txt"
    (cd "$dir" && STACK="$SWARM_STACK" docker stack deploy --resolve-image never -c stack.yml "$SWARM_STACK" >/dev/null)
    local wait_ready="bash $LIB/swarm_window.sh ready $dir"
    if ! bash -c "$wait_ready"; then
        row swarm "rotate redis_pw --stack" "skipped: the stack did not come up" - - - -
        return
    fi
    : > "$dir/windows.tsv"
    measure --runs "$RUNS" --warmup 0 --json "$OUT/swarm.json" --log-dir "$OUT/logs" --between "$wait_ready" \
        "secops=bash $LIB/swarm_window.sh secops $dir $SECOPS" \
        "manual=bash $LIB/swarm_window.sh manual $dir"
    bash "$LIB/swarm_window.sh" snapshot "$dir"
    report pair "$RESULTS" "$OUT/swarm.json" swarm "rotate a file secret, redis + app x2" secops manual \
        "service update --secret-rm/--secret-add by hand" --note "both roll every task; A also has the dual window"
    python3 "$LIB/swarm_probe_count.py" "$dir" | while IFS=$'\t' read -r _ measure value; do
        row swarm "$measure" "$value" - - - "probe every 10 ms in each app task, from the tasks' own logs"
    done
    swarm_leave
    SWARM_STACK="" swarm_started=0
    trap tb_teardown EXIT
}
