#!/usr/bin/env bash
# Smoke-test the images of tests/images/build.sh for real: containers on named volumes and a
# user-defined network, logins from an app container over the network.
#
# Usage: tests/images/smoke.sh [redis|postgres|mariadb|compose]...   (no names = all four)
#   Builds missing images first (build.sh). Exits non-zero when any check fails; prints one
#   line per check and a closing "smoke: N passed, N failed". Removes every container,
#   volume, network and temp file it created (and only those), also on failure or Ctrl-C.
#
# What is checked, per image:
#   postgres  network login with the password (PG* and DATABASE_URL forms) ok, wrong password
#             refused; SCRAM verifier stored; `docker exec -u postgres C psql` needs none;
#             extra args reach postgres (-c log_statement=all); the password is in no server
#             log line, in no sampled process argv during init and not in PID 1's environment;
#             restart on the same volume with a DIFFERENT env password: the old one still
#             logs in, the new one is refused, data kept (init-only semantics);
#             POSTGRES_PASSWORD_FILE/POSTGRES_USER/POSTGRES_DB; docker stop is clean.
#   mariadb   the same for MARIADB_ROOT_PASSWORD/MARIADB_USER/MARIADB_PASSWORD/MARIADB_DATABASE
#             (DB_* and mysql:// forms); root@localhost and root@'%' exist; the general log
#             enabled through extra args holds no password; _FILE and MYSQL_* forms;
#             SECOPS_MARIADB_ROOT_SOCKET=1 (root@localhost also via unix_socket);
#             MARIADB_ALLOW_EMPTY_ROOT_PASSWORD; healthcheck.sh --connect --innodb_initialized.
#   redis     the app's default healthcheck PINGs Redis with the password; wrong one refused;
#             secops-test-app exits at once on SIGTERM.
#   compose   tests/images/compose.example.yml: `up --wait` gets postgres, mariadb and their two
#             app consumers healthy; then new passwords in the env file and a recreate lock
#             the consumers out (the databases keep the old ones): the outage docker-secops
#             exists to prevent. Skipped (not passed) without docker compose v2.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REDIS_IMAGE="${SECOPS_REDIS_IMAGE:-secops-test/redis:7}"
APP_IMAGE="${SECOPS_APP_IMAGE:-secops-test/app:1}"
PG_IMAGE="${SECOPS_POSTGRES_IMAGE:-secops-test/postgres:15}"
MARIADB_IMAGE="${SECOPS_MARIADB_IMAGE:-secops-test/mariadb:10.11}"

WANT=()
for arg in "$@"; do
    case "$arg" in
        redis | postgres | mariadb | compose) WANT+=("$arg") ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "smoke.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done
[ ${#WANT[@]} -gt 0 ] || WANT=(redis postgres mariadb compose)

ID="secops-smoke-$$"
NET="$ID-net"
TMPD="$(mktemp -d /tmp/secops-smoke.XXXXXX)"
CONTAINERS=()
VOLUMES=()
PASSED=0
FAILED=0
SKIPPED=0
COMPOSE_UP=0
START_NS=$(date +%s%N)

log() { printf '[smoke +%5.1fs] %s\n' "$(( ($(date +%s%N) - START_NS) / 1000000 ))e-3" "$*"; }
ok() { PASSED=$((PASSED + 1)); log "ok    $*"; }
bad() { FAILED=$((FAILED + 1)); log "FAIL  $*"; }
# check DESCRIPTION CMD...: ok when CMD succeeds
check() {
    local what="$1"
    shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}

cleanup() {
    local c v
    [ "$COMPOSE_UP" -eq 0 ] || compose down -v --remove-orphans >/dev/null 2>&1 || true
    for c in "${CONTAINERS[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
    for v in "${VOLUMES[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1 || true; done
    docker network rm "$NET" >/dev/null 2>&1 || true
    rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- images ------------------------------------------------------------------
need=()
for w in "${WANT[@]}"; do
    case "$w" in
        redis) need+=("$REDIS_IMAGE") ;;
        postgres) need+=("$PG_IMAGE") ;;
        mariadb) need+=("$MARIADB_IMAGE") ;;
        compose) need+=("$PG_IMAGE" "$MARIADB_IMAGE") ;;
    esac
done
need+=("$APP_IMAGE")
if ! docker image inspect "${need[@]}" >/dev/null 2>&1; then
    log "images missing; running build.sh"
    bash "$HERE/build.sh" # all of them: compose needs postgres, mariadb and app
fi
docker network create "$NET" >/dev/null

# --- helpers -----------------------------------------------------------------
# envfile NAME VAR=VALUE...: a 0600 env file for --env-file (no secret on any command line)
envfile() {
    local f="$TMPD/$1.env"
    shift
    (umask 077 && printf '%s\n' "$@" >"$f")
    printf '%s' "$f"
}
# secretfile NAME VALUE: a file to bind-mount as /run/secrets/NAME
secretfile() {
    local f="$TMPD/secret-$1"
    printf '%s' "$2" >"$f"
    chmod 0644 "$f"
    printf '%s' "$f"
}
volume() {
    VOLUMES+=("$ID-$1")
    docker volume create "$ID-$1" >/dev/null
}
# start NAME ALIAS IMAGE [docker run options] -- [container args]
start() {
    local name="$ID-$1" alias="$2" image="$3" opts=()
    shift 3
    while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
    [ $# -eq 0 ] || shift
    CONTAINERS+=("$name")
    docker run -d --name "$name" --network "$NET" --network-alias "$alias" "${opts[@]}" "$image" "$@" >/dev/null
}
# app_check ENVFILE: the app image's healthcheck against the stores; output in $APP_OUT
app_check() {
    local rc=0
    APP_OUT="$(docker run --rm --network "$NET" --env-file "$1" --entrypoint /usr/local/bin/healthcheck "$APP_IMAGE" 2>&1)" || rc=$?
    return $rc
}
accepted() { # DESCRIPTION ENVFILE
    if app_check "$2"; then ok "$1: $APP_OUT"; else bad "$1: $APP_OUT"; fi
}
refused() { # DESCRIPTION ENVFILE PATTERN (the refusal must say why)
    if app_check "$2"; then
        bad "$1: accepted: $APP_OUT"
    elif grep -qE "$3" <<<"$APP_OUT"; then
        ok "$1: $(tr '\n' ' ' <<<"$APP_OUT" | cut -c1-160)"
    else
        bad "$1: refused, but not for the expected reason ($3): $APP_OUT"
    fi
}
running() { [ "$(docker inspect --format '{{.State.Running}}' "$ID-$1" 2>/dev/null)" = true ]; }
# wait_for NAME SECONDS CMD...: until CMD (run in the container) succeeds
wait_for() {
    local name="$1" secs="$2" i
    shift 2
    for ((i = 0; i < secs * 4; i++)); do
        if docker exec "$ID-$name" "$@" >/dev/null 2>&1; then return 0; fi
        running "$name" || { log "container $name exited:"; docker logs --tail 30 "$ID-$name" 2>&1 | sed 's/^/    /'; return 1; }
        sleep 0.25
    done
    log "container $name not ready after ${secs}s:"
    docker logs --tail 30 "$ID-$name" 2>&1 | sed 's/^/    /'
    return 1
}
# sample_argv NAME SECONDS SECRET...: while the container initialises, read every process's
# argv inside it; fails if a secret shows up (sampling cannot prove absence, but catches it)
sample_argv() {
    local name="$1" secs="$2" n=0 s out end
    SAMPLES=0
    shift 2
    end=$(($(date +%s) + secs))
    while [ "$(date +%s)" -lt "$end" ] && running "$name"; do
        out="$(docker exec "$ID-$name" sh -c 'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <"$f"; echo; done' 2>/dev/null)" || true
        n=$((n + 1))
        for s; do
            if grep -qF -- "$s" <<<"$out"; then
                log "secret found in a process argv of $name"
                return 1
            fi
        done
        if grep -qE 'mariadbd|postgres' <<<"$out" && ! grep -qE 'install-db|initdb|pg_ctl|--skip-networking|listen_addresses=|docker-entrypoint' <<<"$out"; then
            break # init is over
        fi
    done
    SAMPLES=$n
}
no_secret_in() { # DESCRIPTION TEXT SECRET...
    local what="$1" text="$2" s
    shift 2
    for s; do
        if grep -qF -- "$s" <<<"$text"; then bad "$what: holds a password"; return; fi
    done
    ok "$what: no password"
}
stop_timed() { # NAME: docker stop, report the seconds and the exit code
    local t0 code
    t0=$(date +%s%N)
    docker stop "$ID-$1" >/dev/null
    code="$(docker inspect --format '{{.State.ExitCode}}' "$ID-$1")"
    STOP_MS=$((($(date +%s%N) - t0) / 1000000))
    [ "$code" = 0 ]
}
urlenc() { # percent-encode everything but unreserved characters
    local s="$1" out= c i
    for ((i = 0; i < ${#s}; i++)); do
        c="${s:i:1}"
        case "$c" in
            [A-Za-z0-9._~-]) out+="$c" ;;
            *) out+="$(printf '%%%02X' "'$c")" ;;
        esac
    done
    printf '%s' "$out"
}

# --- redis + app -------------------------------------------------------------
smoke_redis() {
    local pw="redis pw-$RANDOM'x"
    log "== redis ($REDIS_IMAGE) and app ($APP_IMAGE)"
    volume redis
    # the password is on redis-server's command line by design of such stacks; not our concern here
    start redis redis "$REDIS_IMAGE" -v "$ID-redis:/data" -- redis-server --requirepass "$pw" --protected-mode no
    wait_for redis 30 redis-cli --no-auth-warning ping || { bad "redis did not start"; return; }
    accepted "app healthcheck (default = Redis PING) with REDIS_PASSWORD" "$(envfile r-ok REDIS_HOST=redis "REDIS_PASSWORD=$pw")"
    refused "app healthcheck with a wrong REDIS_PASSWORD" "$(envfile r-bad REDIS_HOST=redis REDIS_PASSWORD=wrong)" 'WRONGPASS|invalid'
    start app app "$APP_IMAGE" --env-file "$(envfile app REDIS_HOST=redis "REDIS_PASSWORD=$pw")" --
    sleep 1
    if stop_timed app; then ok "secops-test-app exits 0 on SIGTERM (docker stop: ${STOP_MS} ms)"; else bad "secops-test-app stop"; fi
}

# --- postgres ----------------------------------------------------------------
psql_in() { # NAME SQL [psql args]: as unix user postgres inside the container, no password
    local name="$1" sql="$2"
    shift 2
    docker exec -u postgres "$ID-$name" psql -X -At -v ON_ERROR_STOP=1 "$@" -c "$sql"
}

smoke_postgres() {
    local pw1="o'ld pg pw:$RANDOM@x/%" pw2="n3w-pg-pw-$RANDOM" fpw="file-pg-pw-$RANDOM" out
    log "== postgres ($PG_IMAGE)"
    volume pg
    start pg1 pg "$PG_IMAGE" -v "$ID-pg:/var/lib/postgresql/data" \
        --env-file "$(envfile pg1 "POSTGRES_PASSWORD=$pw1")" -- -c log_statement=all
    if sample_argv pg1 20 "$pw1"; then ok "no password in any process argv during init ($SAMPLES samples)"; else bad "password in a process argv"; fi
    wait_for pg1 60 pg_isready -q -h 127.0.0.1 || { bad "postgres did not start"; return; }

    accepted "network login, PG* env, right password" "$(envfile p-ok SECOPS_APP_CHECK=postgres PGHOST=pg PGUSER=postgres "PGPASSWORD=$pw1")"
    accepted "network login, DATABASE_URL with the percent-encoded password" \
        "$(envfile p-url SECOPS_APP_CHECK=postgres "DATABASE_URL=postgresql://postgres:$(urlenc "$pw1")@pg:5432/postgres?sslmode=disable")"
    refused "network login, wrong password" "$(envfile p-bad SECOPS_APP_CHECK=postgres PGHOST=pg PGUSER=postgres PGPASSWORD=wrong)" \
        'password authentication failed'
    out="$(psql_in pg1 'select 1' 2>&1)" || true
    check "docker exec -u postgres psql -c 'select 1' without password -> $out" test "$out" = 1
    out="$(psql_in pg1 'show log_statement' 2>&1)" || true
    check "extra args reach postgres: log_statement=$out" test "$out" = all
    out="$(psql_in pg1 'show password_encryption' 2>&1)" || true
    check "password_encryption=$out" test "$out" = scram-sha-256
    out="$(psql_in pg1 "select rolpassword like 'SCRAM-SHA-256\$%' from pg_authid where rolname = 'postgres'" 2>&1)" || true
    check "the stored password is a SCRAM-SHA-256 verifier" test "$out" = t
    out="$(psql_in pg1 "select string_agg(type || ' ' || coalesce(address, '-') || ' ' || auth_method, ', ' order by line_number) from pg_hba_file_rules where 'all' = any(database) or 'replication' = any(database)" 2>&1)" || true
    check "pg_hba: $out" grep -qE '^local - trust, host 127\.0\.0\.1 trust, host ::1 trust, .*host all scram-sha-256$' <<<"$out"
    out="$(psql_in pg1 "show listen_addresses" 2>&1)" || true
    check "listen_addresses=$out" test "$out" = '*'
    psql_in pg1 'create table kept(v text); insert into kept values ($$before restart$$)' >/dev/null
    no_secret_in "server log (docker logs, log_statement=all)" "$(docker logs "$ID-pg1" 2>&1)" "$pw1"
    out="$(docker exec -u postgres "$ID-pg1" cat /proc/1/environ | tr '\0' '\n')" || true
    check "PID 1's environment is readable (PGDATA=...)" grep -q '^PGDATA=' <<<"$out"
    no_secret_in "PID 1 (postgres) environment" "$out" "$pw1"
    if stop_timed pg1; then ok "docker stop (SIGINT, fast shutdown): exit 0 in ${STOP_MS} ms"; else bad "postgres stop exit code"; fi
    check "server log says: database system is shut down" grep -q 'database system is shut down' <<<"$(docker logs "$ID-pg1" 2>&1)"
    docker rm "$ID-pg1" >/dev/null

    start pg2 pg "$PG_IMAGE" -v "$ID-pg:/var/lib/postgresql/data" --env-file "$(envfile pg2 "POSTGRES_PASSWORD=$pw2")" --
    wait_for pg2 60 pg_isready -q -h 127.0.0.1 || { bad "postgres did not restart"; return; }
    check "restart with a different POSTGRES_PASSWORD skips init" grep -q 'Skipping initialization' <<<"$(docker logs "$ID-pg2" 2>&1)"
    accepted "after restart: the OLD password still logs in (init-only)" "$(envfile p-ok2 SECOPS_APP_CHECK=postgres PGHOST=pg PGUSER=postgres "PGPASSWORD=$pw1")"
    refused "after restart: the NEW env password is refused" "$(envfile p-new SECOPS_APP_CHECK=postgres PGHOST=pg PGUSER=postgres "PGPASSWORD=$pw2")" \
        'password authentication failed'
    out="$(psql_in pg2 'select v from kept' 2>&1)" || true
    check "data written before the restart is there: $out" test "$out" = 'before restart'
    if stop_timed pg2; then ok "docker stop: exit 0 in ${STOP_MS} ms"; else bad "postgres stop exit code"; fi

    volume pgf
    start pgf pgf "$PG_IMAGE" -v "$ID-pgf:/var/lib/postgresql/data" -v "$(secretfile pg_password "$fpw"):/run/secrets/pg_password:ro" \
        -e POSTGRES_PASSWORD_FILE=/run/secrets/pg_password -e POSTGRES_USER=app -e POSTGRES_DB=appdb --
    wait_for pgf 60 pg_isready -q -h 127.0.0.1 || { bad "postgres (_FILE) did not start"; return; }
    accepted "POSTGRES_PASSWORD_FILE + POSTGRES_USER=app + POSTGRES_DB=appdb: login" \
        "$(envfile p-file SECOPS_APP_CHECK=postgres PGHOST=pgf PGUSER=app PGDATABASE=appdb "PGPASSWORD=$fpw")"
    refused "POSTGRES_PASSWORD_FILE: the file's content is the password, not its path" \
        "$(envfile p-file-bad SECOPS_APP_CHECK=postgres PGHOST=pgf PGUSER=app PGDATABASE=appdb PGPASSWORD=/run/secrets/pg_password)" 'password authentication failed'
    out="$(psql_in pgf 'select current_user || $$@$$ || current_database()' -U app -d appdb 2>&1)" || true
    check "docker exec -u postgres psql -U app -d appdb (local trust): $out" test "$out" = app@appdb
}

# --- mariadb -----------------------------------------------------------------
# maria_in NAME PASSWORD SQL: as root over the socket inside the container, password on stdin
maria_in() {
    docker exec -i "$ID-$1" sh -c 'MYSQL_PWD="$(cat)" exec mariadb -uroot -N -B -e "$0"' "$3" <<<"$2"
}
maria_ready() { wait_for "$1" 90 healthcheck.sh --connect --innodb_initialized; }

smoke_mariadb() {
    local r1="r00t pw'$RANDOM\\x" u1="user:pw@$RANDOM/%" r2="n3w-root-$RANDOM" u2="n3w-user-$RANDOM"
    local fr="file-root-$RANDOM" fu="file-user-$RANDOM" out gl
    log "== mariadb ($MARIADB_IMAGE)"
    volume my
    start my1 db "$MARIADB_IMAGE" -v "$ID-my:/var/lib/mysql" \
        --env-file "$(envfile my1 "MARIADB_ROOT_PASSWORD=$r1" MARIADB_USER=app "MARIADB_PASSWORD=$u1" MARIADB_DATABASE=appdb)" \
        -- --general-log=1 --general-log-file=/var/lib/mysql/general.log
    if sample_argv my1 30 "$r1" "$u1"; then ok "no password in any process argv during init ($SAMPLES samples)"; else bad "password in a process argv"; fi
    maria_ready my1 || { bad "mariadb did not start"; return; }
    ok "healthcheck.sh --connect --innodb_initialized"

    accepted "network login MARIADB_USER, DB_* env, right password" \
        "$(envfile m-ok DB_HOST=db DB_USER=app "DB_PASSWORD=$u1" DB_NAME=appdb SECOPS_APP_CHECK=mariadb)"
    accepted "network login MARIADB_USER, DATABASE_URL mysql:// percent-encoded" \
        "$(envfile m-url "DATABASE_URL=mysql://app:$(urlenc "$u1")@db:3306/appdb" SECOPS_APP_CHECK=mariadb)"
    accepted "network login root@'%' with MARIADB_ROOT_PASSWORD" \
        "$(envfile m-root DB_HOST=db DB_USER=root "DB_PASSWORD=$r1" SECOPS_APP_CHECK=mariadb)"
    refused "network login, wrong password" \
        "$(envfile m-bad DB_HOST=db DB_USER=app DB_PASSWORD=wrong DB_NAME=appdb SECOPS_APP_CHECK=mariadb)" 'Access denied'
    out="$(maria_in my1 "$r1" "select concat(user, '@', host, ' ', plugin) from mysql.user where user in ('root', 'app', 'healthcheck') order by user, host" 2>&1 | tr '\n' ',')" || true
    check "accounts: $out" test "$out" = "app@% mysql_native_password,healthcheck@127.0.0.1 mysql_native_password,healthcheck@::1 mysql_native_password,healthcheck@localhost mysql_native_password,root@% mysql_native_password,root@localhost mysql_native_password,"
    out="$(maria_in my1 "$r1" "show create user root@localhost" 2>&1)" || true
    check "root@localhost is mysql_native_password only (as upstream): $(cut -c1-90 <<<"$out")" \
        grep -qE "IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'$" <<<"$out"
    out="$(maria_in my1 "$r1" "show grants for app@'%'" 2>&1 | tr '\n' ' ')" || true
    check "app@'%' has ALL on appdb" grep -qF 'GRANT ALL PRIVILEGES ON `appdb`.* TO `app`@`%`' <<<"$out"
    maria_in my1 "$r1" "create table appdb.kept(v text); insert into appdb.kept values ('before restart')" >/dev/null
    gl="$(docker exec "$ID-my1" cat /var/lib/mysql/general.log 2>&1)" || true
    check "the general log (extra args) recorded the init session's connect" grep -q 'SET @@SESSION.sql_log_off=1' <<<"$gl"
    no_secret_in "general log (--general-log=1 from the init on)" "$gl" "$r1" "$u1"
    no_secret_in "docker logs" "$(docker logs "$ID-my1" 2>&1)" "$r1" "$u1"
    out="$(docker exec -u mysql "$ID-my1" cat /proc/1/environ | tr '\0' '\n')" || true
    check "PID 1's environment is readable (MARIADB_DATABASE=...)" grep -q '^MARIADB_DATABASE=appdb' <<<"$out"
    no_secret_in "PID 1 (mariadbd) environment" "$out" "$r1" "$u1"
    if stop_timed my1; then ok "docker stop (SIGTERM): exit 0 in ${STOP_MS} ms"; else bad "mariadb stop exit code"; fi
    docker rm "$ID-my1" >/dev/null

    start my2 db "$MARIADB_IMAGE" -v "$ID-my:/var/lib/mysql" \
        --env-file "$(envfile my2 "MARIADB_ROOT_PASSWORD=$r2" MARIADB_USER=app "MARIADB_PASSWORD=$u2" MARIADB_DATABASE=appdb)" --
    maria_ready my2 || { bad "mariadb did not restart"; return; }
    check "restart with different passwords skips init" bash -c '! grep -q "Initializing database files" <<<"$1"' _ "$(docker logs "$ID-my2" 2>&1)"
    accepted "after restart: the OLD user password still logs in (init-only)" \
        "$(envfile m-ok2 DB_HOST=db DB_USER=app "DB_PASSWORD=$u1" DB_NAME=appdb SECOPS_APP_CHECK=mariadb)"
    accepted "after restart: the OLD root password still logs in" \
        "$(envfile m-root2 DB_HOST=db DB_USER=root "DB_PASSWORD=$r1" SECOPS_APP_CHECK=mariadb)"
    refused "after restart: the NEW env user password is refused" \
        "$(envfile m-new DB_HOST=db DB_USER=app "DB_PASSWORD=$u2" DB_NAME=appdb SECOPS_APP_CHECK=mariadb)" 'Access denied'
    refused "after restart: the NEW env root password is refused" \
        "$(envfile m-newroot DB_HOST=db DB_USER=root "DB_PASSWORD=$r2" SECOPS_APP_CHECK=mariadb)" 'Access denied'
    out="$(maria_in my2 "$r1" "select v from appdb.kept" 2>&1)" || true
    check "data written before the restart is there: $out" test "$out" = 'before restart'
    if stop_timed my2; then ok "docker stop: exit 0 in ${STOP_MS} ms"; else bad "mariadb stop exit code"; fi

    volume myf
    start myf dbf "$MARIADB_IMAGE" -v "$ID-myf:/var/lib/mysql" \
        -v "$(secretfile root_pw "$fr"):/run/secrets/root_pw:ro" -v "$(secretfile user_pw "$fu"):/run/secrets/user_pw:ro" \
        -e MARIADB_ROOT_PASSWORD_FILE=/run/secrets/root_pw -e MYSQL_PASSWORD_FILE=/run/secrets/user_pw \
        -e MYSQL_USER=app2 -e MYSQL_DATABASE=db2 -e SECOPS_MARIADB_ROOT_SOCKET=1 -e MARIADB_INITDB_SKIP_TZINFO=1 --
    maria_ready myf || { bad "mariadb (_FILE) did not start"; return; }
    accepted "MARIADB_ROOT_PASSWORD_FILE: root@'%' logs in" \
        "$(envfile mf-root DB_HOST=dbf DB_USER=root "DB_PASSWORD=$fr" SECOPS_APP_CHECK=mariadb)"
    accepted "MYSQL_PASSWORD_FILE + MYSQL_USER + MYSQL_DATABASE: app2 logs in to db2" \
        "$(envfile mf-user DB_HOST=dbf DB_USER=app2 "DB_PASSWORD=$fu" DB_NAME=db2 SECOPS_APP_CHECK=mariadb)"
    out="$(docker exec "$ID-myf" mariadb -uroot -N -B -e 'select current_user()' 2>&1)" || true
    check "SECOPS_MARIADB_ROOT_SOCKET=1: root over the socket without password (unix_socket): $out" test "$out" = root@localhost
    out="$(maria_in myf "$fr" "show create user root@localhost" 2>&1)" || true
    check "root@localhost: mysql_native_password OR unix_socket" grep -qE "mysql_native_password USING '\*[0-9A-F]{40}' OR unix_socket" <<<"$out"
    out="$(docker exec "$ID-myf" mariadb -uroot -N -B -e 'select 1' -u nobody 2>&1)" || true
    check "an unknown account over the socket is refused" grep -q 'Access denied' <<<"$out"

    volume mye
    start mye dbe "$MARIADB_IMAGE" -v "$ID-mye:/var/lib/mysql" -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 -e MARIADB_INITDB_SKIP_TZINFO=1 --
    maria_ready mye || { bad "mariadb (empty root password) did not start"; return; }
    accepted "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: root@'%' logs in without password" \
        "$(envfile me-root DB_HOST=dbe DB_USER=root SECOPS_APP_CHECK=mariadb)"

    volume myn
    start myn dbn "$MARIADB_IMAGE" -v "$ID-myn:/var/lib/mysql" --
    sleep 3
    out="$(docker logs "$ID-myn" 2>&1)"
    check "no root password option: refuses to initialise" grep -q 'password option is not specified' <<<"$out"
}

# --- compose -----------------------------------------------------------------
compose() { docker compose -p "$ID-compose" -f "$HERE/compose.example.yml" --env-file "$TMPD/compose.env" "$@"; }
health() { docker inspect --format '{{.State.Health.Status}}' "$(compose ps -q "$1")" 2>/dev/null; }

smoke_compose() {
    local out
    log "== compose (tests/images/compose.example.yml)"
    if ! docker compose version >/dev/null 2>&1; then
        SKIPPED=$((SKIPPED + 1))
        log "SKIP  compose: docker compose v2 is not installed (.ci/install-deps.sh installs it)"
        return
    fi
    # URL-safe values: the example embeds the PostgreSQL password in DATABASE_URL as is
    envfile compose "POSTGRES_PASSWORD=pg-$RANDOM$RANDOM" "MARIADB_ROOT_PASSWORD=root-$RANDOM$RANDOM" \
        "MARIADB_PASSWORD=app-$RANDOM$RANDOM" >/dev/null
    COMPOSE_UP=1
    if out="$(compose up -d --wait --wait-timeout 180 2>&1)"; then
        ok "compose up --wait: postgres, mariadb, api, worker healthy ($(for s in postgres mariadb api worker; do printf '%s=%s ' "$s" "$(health "$s")"; done))"
    else
        bad "compose up --wait: $(tail -n 5 <<<"$out")"
        compose logs --tail 20 2>&1 | sed 's/^/    /'
        return
    fi
    # rotate the env file only, as `store: env files only` did: the consumers are locked out
    envfile compose "POSTGRES_PASSWORD=pg2-$RANDOM$RANDOM" "MARIADB_ROOT_PASSWORD=root2-$RANDOM$RANDOM" \
        "MARIADB_PASSWORD=app2-$RANDOM$RANDOM" >/dev/null
    if out="$(compose up -d --force-recreate --wait --wait-timeout 90 2>&1)"; then
        bad "after changing only the env file, every service is still healthy: the images re-applied the env passwords"
    else
        check "env-file-only rotation locks the consumers out: api=$(health api) worker=$(health worker), databases postgres=$(health postgres) mariadb=$(health mariadb)" \
            test "$(health api)/$(health worker)/$(health postgres)/$(health mariadb)" = unhealthy/unhealthy/healthy/healthy
    fi
    compose down -v --remove-orphans >/dev/null 2>&1 && COMPOSE_UP=0
}

for w in "${WANT[@]}"; do
    "smoke_$w"
done
log "smoke: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
