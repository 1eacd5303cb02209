#!/usr/bin/env bash
# The rotation test bed: redis (secops-test/redis:7, password from the env file, AOF on a named volume) and three
# consumers app1..app3 (secops-test/app:1) binding the same env file. Local images only: nothing is pulled.
#
# Usage: testbed.sh make DIR NAME SECOPS    write DIR/compose.yaml (project NAME) and DIR/.env.bench (mode 600)
#        testbed.sh up DIR                  start it and wait until every service is healthy (180 s at most)
#        testbed.sh wait DIR                wait until redis runs and app1..3 are healthy
#        testbed.sh addr DIR                print HOST PORT of redis as seen from this host
#        testbed.sh down DIR                `docker compose down -v` (containers, network, volume)
set -euo pipefail

cmd="$1"
dir="$2"
compose="$dir/compose.yaml"
dc() { docker compose -f "$compose" "$@"; }

healthy() { # -> 0 when redis is running and app1..3 are healthy
    local svc id state
    for svc in redis app1 app2 app3; do
        id="$(dc ps -q "$svc" 2>/dev/null)"
        [ -n "$id" ] || return 1
        state="$(docker inspect -f '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id" 2>/dev/null)" || return 1
        case "$svc:$state" in
            redis:"running "*) ;;
            app*:"running healthy") ;;
            *) return 1 ;;
        esac
    done
}

wait_healthy() {
    local deadline=$((SECONDS + ${1:-180}))
    until healthy; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            echo "testbed: not healthy after ${1:-180} s" >&2
            dc ps >&2 || true
            return 1
        fi
        sleep 0.2
    done
}

case "$cmd" in
    make)
        name="$3"
        secops="$4"
        mkdir -p "$dir"
        password="$("$secops" generate --kind password)"
        (umask 077 && printf '# test bed credentials (bench/lib/testbed.sh)\nREDIS_PASSWORD=%s\n' "$password" > "$dir/.env.bench")
        cat > "$compose" <<YAML
# Rotation test bed (bench/lib/testbed.sh): redis + three consumers, all binding .env.bench.
name: $name

x-secops:
  secrets:
    - key: REDIS_PASSWORD
      kind: password
      store: redis
      service: redis

x-app: &app
  image: secops-test/app:1
  env_file: .env.bench
  environment:
    REDIS_HOST: redis
  depends_on: [redis]
  healthcheck:
    test: ["CMD", "/usr/local/bin/healthcheck"]
    interval: 2s
    timeout: 5s
    retries: 3

services:
  redis:
    image: secops-test/redis:7
    env_file: .env.bench
    command: ["sh", "-c", "exec redis-server - --appendonly yes <<EOF\\nrequirepass \"\$\$REDIS_PASSWORD\"\\nEOF\\n"]
    volumes:
      - redis-data:/data
    ports:
      - "127.0.0.1::6379"
  app1: *app
  app2: *app
  app3: *app

volumes:
  redis-data:
YAML
        ;;
    up)
        dc up -d --quiet-pull 2>&1 | sed 's/^/  [compose] /' >&2
        wait_healthy 180
        ;;
    wait)
        wait_healthy 180
        ;;
    addr)
        id="$(dc ps -q redis)"
        ip="$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}' "$id" | awk '{print $1}')"
        # The container's address when this host routes to it (no docker-proxy in the path), else the published port.
        if [ -n "$ip" ] && timeout 1 bash -c "exec 3<>/dev/tcp/$ip/6379" 2>/dev/null; then
            echo "$ip 6379"
        else
            port="$(dc port redis 6379 | awk -F: '{print $NF}')"
            echo "127.0.0.1 $port"
        fi
        ;;
    down)
        [ -f "$compose" ] && dc down -v --remove-orphans -t 5 2>&1 | sed 's/^/  [compose] /' >&2 || true
        ;;
    *)
        echo "testbed.sh: unknown command $cmd" >&2
        exit 2
        ;;
esac
