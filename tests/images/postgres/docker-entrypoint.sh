#!/usr/bin/env bash
# /usr/local/bin/docker-entrypoint.sh of secops-test/postgres:15: the official `postgres`
# image's entrypoint (docker-library/postgres, 15/bookworm) on Debian's postgresql-15.
#
# Only when PGDATA holds no database (no PG_VERSION): initdb with POSTGRES_USER (default
# postgres) and POSTGRES_PASSWORD, create POSTGRES_DB (default = user), run
# /docker-entrypoint-initdb.d/*; every variable may come from a file (POSTGRES_PASSWORD_FILE
# etc., e.g. a compose secret in /run/secrets). Any later start ignores them: the data
# directory keeps the password it was initialised with, exactly the behaviour a credential
# rotation must cope with.
#
# The password reaches initdb through --pwfile=<(printf ...) (a pipe; printf is a shell
# builtin), so it is on no command line and in no server log: the bootstrap backend sets it,
# no SQL statement carries it. pg_hba.conf: initdb's trust lines for local, 127.0.0.1/32 and
# ::1 plus "host all all all scram-sha-256" (or POSTGRES_HOST_AUTH_METHOD).
#
# Finally `exec postgres "$@"` as user postgres (PID 1; SIGINT = fast, SIGTERM = smart
# shutdown). Arguments starting with '-' are postgres options (`-c log_statement=all`); a
# first argument other than postgres is run as is (`bash`).
set -Eeo pipefail
shopt -s nullglob

# usage: file_env VAR [DEFAULT]: VAR from $VAR or from the file named by $VAR_FILE
file_env() {
    local var="$1" fileVar="${1}_FILE" def="${2:-}" val
    if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
        printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$var" "$fileVar"
        exit 1
    fi
    val="$def"
    if [ "${!var:-}" ]; then
        val="${!var}"
    elif [ "${!fileVar:-}" ]; then
        val="$(<"${!fileVar}")"
    fi
    export "$var"="$val"
    unset "$fileVar"
}

docker_setup_env() {
    file_env POSTGRES_PASSWORD
    file_env POSTGRES_USER postgres
    file_env POSTGRES_DB "$POSTGRES_USER"
    file_env POSTGRES_INITDB_ARGS
    : "${POSTGRES_HOST_AUTH_METHOD:=}"
    declare -g DATABASE_ALREADY_EXISTS=
    if [ -s "$PGDATA/PG_VERSION" ]; then
        DATABASE_ALREADY_EXISTS=true
    fi
}

# as root: create the directories and give them to postgres
docker_create_db_directories() {
    mkdir -p "$PGDATA"
    chmod 00700 "$PGDATA" || :
    mkdir -p /var/run/postgresql || :
    chmod 03775 /var/run/postgresql || :
    if [ "$(id -u)" = 0 ]; then
        find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
        find /var/run/postgresql \! -user postgres -exec chown postgres:postgres '{}' +
    fi
}

docker_verify_minimum_env() {
    if [ -z "$POSTGRES_PASSWORD" ] && [ trust != "$POSTGRES_HOST_AUTH_METHOD" ]; then
        cat >&2 <<-'EOE'
			Error: Database is uninitialized and superuser password is not specified.
			       You must specify POSTGRES_PASSWORD to a non-empty value for the
			       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

			       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
			       connections without a password. This is *not* recommended.
		EOE
        exit 1
    fi
}

docker_init_database_dir() {
    # --pwfile refuses a properly empty file, hence the "\n"
    eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"' "$@"'
}

pg_setup_hba_conf() {
    [ "${1:-}" != postgres ] || shift
    local auth
    auth="$(postgres -C password_encryption "$@")"
    : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
    {
        printf '\n'
        [ trust != "$POSTGRES_HOST_AUTH_METHOD" ] || printf '# warning trust is enabled for all connections\n'
        printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
    } >>"$PGDATA/pg_hba.conf"
}

# usage: docker_process_sql [psql args]: SQL on stdin (or -f FILE), as POSTGRES_USER over the socket
docker_process_sql() {
    local query_runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
    [ -z "$POSTGRES_DB" ] || query_runner+=(--dbname "$POSTGRES_DB")
    PGHOST= PGHOSTADDR= "${query_runner[@]}" "$@"
}

docker_setup_db() {
    local exists
    exists="$(POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
		SELECT 1 FROM pg_database WHERE datname = :'db' ;
	EOSQL
    )"
    if [ -z "$exists" ]; then
        POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
        printf '\n'
    fi
}

docker_process_init_files() {
    local f
    printf '\n'
    for f; do
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    printf '%s: running %s\n' "$0" "$f"
                    "$f"
                else
                    printf '%s: sourcing %s\n' "$0" "$f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql) printf '%s: running %s\n' "$0" "$f"; docker_process_sql -f "$f"; printf '\n' ;;
            *.sql.gz) printf '%s: running %s\n' "$0" "$f"; gunzip -c "$f" | docker_process_sql; printf '\n' ;;
            *) printf '%s: ignoring %s\n' "$0" "$f" ;;
        esac
    done
}

# a socket-only server for the init steps; "$@" are the container's postgres options
docker_temp_server_start() {
    [ "${1:-}" != postgres ] || shift
    set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
    NOTIFY_SOCKET= PGUSER="${PGUSER:-$POSTGRES_USER}" \
        pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

docker_temp_server_stop() {
    PGUSER="${PGUSER:-postgres}" pg_ctl -D "$PGDATA" -m fast -w stop
}

_pg_want_help() {
    local arg
    for arg; do
        case "$arg" in
            -'?' | --help | --describe-config | -V | --version) return 0 ;;
        esac
    done
    return 1
}

_main() {
    # a first argument that looks like a flag means: run postgres with it
    if [ "${1:0:1}" = '-' ]; then
        set -- postgres "$@"
    fi

    if [ "$1" = postgres ] && ! _pg_want_help "$@"; then
        docker_setup_env
        docker_create_db_directories
        if [ "$(id -u)" = 0 ]; then
            # restart this script as postgres (setpriv execs: no extra process stays behind)
            HOME=/var/lib/postgresql exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
        fi

        if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
            docker_verify_minimum_env
            ls /docker-entrypoint-initdb.d/ >/dev/null
            docker_init_database_dir
            pg_setup_hba_conf "$@"
            export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
            docker_temp_server_start "$@"
            docker_setup_db
            docker_process_init_files /docker-entrypoint-initdb.d/*
            docker_temp_server_stop
            unset PGPASSWORD
            printf '\nPostgreSQL init process complete; ready for start up.\n\n'
        else
            printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
        fi
        # the server needs none of them, and they would show in its /proc/PID/environ
        unset POSTGRES_PASSWORD POSTGRES_INITDB_ARGS
    fi

    exec "$@"
}

_main "$@"
