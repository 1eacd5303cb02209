#!/usr/bin/env bash
# /usr/local/bin/docker-entrypoint.sh of secops-test/mariadb:10.11: the official `mariadb`
# image's entrypoint (MariaDB/mariadb-docker, 10.11/docker-entrypoint.sh) on Debian's
# mariadb-server, without its replication, backup-restore and upgrade paths.
#
# Only when the data directory (/var/lib/mysql) holds no database (no mysql/ schema):
# mariadb-install-db, then on a socket-only temporary server:
#   root@localhost        mysql_native_password with MARIADB_ROOT_PASSWORD (as upstream:
#                         --auth-root-authentication-method=normal, no unix_socket), or with
#                         SECOPS_MARIADB_ROOT_SOCKET=1 "mysql_native_password OR unix_socket"
#                         (a distro-style second rule, for tests that must keep it)
#   root@MARIADB_ROOT_HOST (default '%') with the same password, ALL WITH GRANT OPTION
#   MARIADB_USER@'%'      with MARIADB_PASSWORD, ALL on MARIADB_DATABASE (if given)
#   healthcheck@{127.0.0.1,::1,localhost} USAGE, random password in
#                         /var/lib/mysql/.my-healthcheck.cnf (0600) for healthcheck.sh
# Every variable also as MYSQL_* and as *_FILE (read from a file, e.g. /run/secrets/x);
# MARIADB_ALLOW_EMPTY_ROOT_PASSWORD, MARIADB_RANDOM_ROOT_PASSWORD, MARIADB_INITDB_SKIP_TZINFO
# and /docker-entrypoint-initdb.d/* as upstream. A later start ignores them all.
#
# Secrets never reach a command line or a server log: the SQL goes to the client on stdin,
# the client's password through MYSQL_PWD, and the session that sets passwords turns its
# own general and slow logging off first (sql_log_off, slow_query_log) so that a container
# started with --general-log=1 does not record them during init.
#
# Finally `exec mariadbd "$@"` as user mysql (PID 1; SIGTERM = clean shutdown). Arguments
# starting with '-' are mariadbd options; a first argument other than mariadbd/mysqld is
# run as is.
set -eo pipefail
shopt -s nullglob

mysql_log() {
    local type="$1"
    shift
    printf '%s [%s] [Entrypoint]: %s\n' "$(date --rfc-3339=seconds)" "$type" "$*"
}
mysql_note() { mysql_log Note "$@"; }
mysql_warn() { mysql_log Warn "$@" >&2; }
mysql_error() {
    mysql_log ERROR "$@" >&2
    exit 1
}

# usage: file_env VAR [DEFAULT]: VAR from $VAR or from the file named by $VAR_FILE
file_env() {
    local var="$1" fileVar="${1}_FILE" def="${2:-}" val
    if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
        mysql_error "Both $var and $fileVar are set (but are exclusive)"
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

# MARIADB_xyz from MYSQL_xyz (or their _FILE forms) when unset; both end up equal
_mariadb_file_env() {
    local var="$1" maria="MARIADB_${1#MYSQL_}"
    shift
    file_env "$var" "$@"
    file_env "$maria" "${!var}"
    if [ "${!maria:-}" ]; then
        export "$var"="${!maria}"
    fi
}

_verboseHelpArgs=(--verbose --help)

mysql_check_config() {
    local toRun=("$@" "${_verboseHelpArgs[@]}") errors
    if ! errors="$("${toRun[@]}" 2>&1 >/dev/null)"; then
        mysql_error $'mariadbd failed while attempting to check config\n\tcommand was: '"${toRun[*]}"$'\n\t'"$errors"
    fi
}

# a value from the server's effective configuration (defaults included)
mysql_get_config() {
    local conf="$1"
    shift
    "$@" "${_verboseHelpArgs[@]}" 2>/dev/null |
        awk -v conf="$conf" '$1 == conf && /^[^ \t]/ { sub(/^[^ \t]+[ \t]+/, ""); print; exit }'
}

docker_setup_env() {
    declare -g DATADIR SOCKET PORT DATABASE_ALREADY_EXISTS=
    DATADIR="$(mysql_get_config datadir "$@")"
    SOCKET="$(mysql_get_config socket "$@")"
    PORT="$(mysql_get_config port "$@")"

    _mariadb_file_env MYSQL_ROOT_HOST '%'
    _mariadb_file_env MYSQL_DATABASE
    _mariadb_file_env MYSQL_USER
    _mariadb_file_env MYSQL_PASSWORD
    _mariadb_file_env MYSQL_ROOT_PASSWORD
    file_env MARIADB_USER_HOST '%'

    : "${MARIADB_ALLOW_EMPTY_ROOT_PASSWORD:=${MYSQL_ALLOW_EMPTY_PASSWORD:-}}"
    export MYSQL_ALLOW_EMPTY_PASSWORD="$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" MARIADB_ALLOW_EMPTY_ROOT_PASSWORD
    : "${MARIADB_RANDOM_ROOT_PASSWORD:=${MYSQL_RANDOM_ROOT_PASSWORD:-}}"
    export MYSQL_RANDOM_ROOT_PASSWORD="$MARIADB_RANDOM_ROOT_PASSWORD" MARIADB_RANDOM_ROOT_PASSWORD
    : "${MARIADB_INITDB_SKIP_TZINFO:=${MYSQL_INITDB_SKIP_TZINFO:-}}"
    export MYSQL_INITDB_SKIP_TZINFO="$MARIADB_INITDB_SKIP_TZINFO" MARIADB_INITDB_SKIP_TZINFO

    if [ -d "$DATADIR/mysql" ]; then
        DATABASE_ALREADY_EXISTS=true
    fi
}

# as root: create the directories and give them to mysql
docker_create_db_directories() {
    mkdir -p "$DATADIR"
    if [ "$(id -u)" = 0 ]; then
        find "$DATADIR" \! -user mysql \( -exec chown mysql: '{}' + -o -true \)
        if [ "${SOCKET:0:1}" != '@' ]; then # not an abstract socket
            mkdir -p "${SOCKET%/*}"
            find "${SOCKET%/*}" -maxdepth 0 \! -user mysql \( -exec chown mysql: '{}' \; -o -true \)
        fi
    fi
}

docker_verify_minimum_env() {
    if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] && [ -z "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
        mysql_error $'Database is uninitialized and password option is not specified\n\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD'
    fi
}

docker_init_database_dir() {
    mysql_note "Initializing database files"
    local arg mariadbdArgs=()
    for arg in "${@:2}"; do
        if [[ "$arg" =~ [[:space:]] ]]; then
            mysql_warn "Not passing argument '$arg' to mariadb-install-db (it does not support whitespace)."
        else
            mariadbdArgs+=("$arg")
        fi
    done
    mariadb-install-db --datadir="$DATADIR" --rpm --auth-root-authentication-method=normal \
        "${mariadbdArgs[@]}" \
        --cross-bootstrap --skip-test-db --old-mode='UTF8_IS_UTF8MB3' \
        --default-time-zone=SYSTEM --enforce-storage-engine= --skip-log-bin --expire-logs-days=0 \
        --loose-innodb_buffer_pool_load_at_startup=0 --loose-innodb_buffer_pool_dump_at_shutdown=0
    mysql_note "Database files initialized"
}

# the client, as root over the socket; the password (if any) comes from MYSQL_PWD
docker_exec_client() {
    if [ -n "$MYSQL_DATABASE" ]; then
        set -- --database="$MYSQL_DATABASE" "$@"
    fi
    mariadb --protocol=socket -uroot -hlocalhost --socket="${SOCKET}" "$@"
}

# usage: docker_process_sql [--dont-use-mysql-root-password] [client args]  (SQL on stdin)
docker_process_sql() {
    if [ --dont-use-mysql-root-password = "$1" ]; then
        shift
        MYSQL_PWD='' docker_exec_client "$@"
    else
        MYSQL_PWD=$MARIADB_ROOT_PASSWORD docker_exec_client "$@"
    fi
}

# SQL-escape $1 for a '...' string literal: \ and ' and newlines
docker_sql_escape_string_literal() {
    local newline=$'\n' escaped
    escaped=${1//\\/\\\\}
    escaped="${escaped//$newline/\\n}"
    echo "${escaped//\'/\\\'}"
}

random_password() { # 32 alphanumerics, no external generator needed
    local pw
    pw="$(head -c 48 /dev/urandom | base64 -w0 | tr -d '+/=')"
    printf '%s' "${pw:0:32}"
}

docker_temp_server_start() {
    "$@" --skip-networking --default-time-zone=SYSTEM --socket="${SOCKET}" --wsrep_on=OFF \
        --expire-logs-days=0 --skip-slave-start \
        --loose-innodb_buffer_pool_load_at_startup=0 &
    declare -g MARIADB_PID=$!
    mysql_note "Waiting for server startup"
    local i extraArgs=()
    [ -n "$DATABASE_ALREADY_EXISTS" ] || extraArgs+=(--dont-use-mysql-root-password)
    for i in {30..0}; do
        if docker_process_sql "${extraArgs[@]}" --database=mysql <<<'SELECT 1' &>/dev/null; then
            break
        fi
        sleep 1
    done
    [ "$i" != 0 ] || mysql_error "Unable to start server."
}

docker_temp_server_stop() {
    kill "$MARIADB_PID"
    wait "$MARIADB_PID"
}

create_healthcheck_users() {
    local pw host
    pw="$(random_password)"
    for host in 127.0.0.1 ::1 localhost; do
        echo "CREATE USER IF NOT EXISTS healthcheck@'$host' IDENTIFIED BY '$pw';"
        echo "SET PASSWORD FOR healthcheck@'$host' = PASSWORD('$pw');"
        echo "GRANT USAGE ON *.* TO healthcheck@'$host';"
    done
    (
        umask 0077
        printf '[mariadb-client]\nport=%s\nsocket=%s\nuser=healthcheck\npassword=%s\n' \
            "$PORT" "$SOCKET" "$pw" >"$DATADIR/.my-healthcheck.cnf"
    )
}

docker_setup_db() {
    if [ -z "$MARIADB_INITDB_SKIP_TZINFO" ]; then
        mariadb-tzinfo-to-sql --skip-write-binlog /usr/share/zoneinfo 2>/dev/null |
            docker_process_sql --dont-use-mysql-root-password --database=mysql
    fi
    if [ -n "$MARIADB_RANDOM_ROOT_PASSWORD" ]; then
        MARIADB_ROOT_PASSWORD="$(random_password)"
        export MARIADB_ROOT_PASSWORD MYSQL_ROOT_PASSWORD=$MARIADB_ROOT_PASSWORD
        mysql_note "GENERATED ROOT PASSWORD: $MARIADB_ROOT_PASSWORD"
    fi

    local rootPasswordEscaped rootCreate= rootLocalhostPass createDatabase= createUser= userGrants=
    rootPasswordEscaped=$(docker_sql_escape_string_literal "${MARIADB_ROOT_PASSWORD}")

    if [ -n "$MARIADB_ROOT_HOST" ] && [ "$MARIADB_ROOT_HOST" != localhost ]; then
        read -r -d '' rootCreate <<-EOSQL || true
			CREATE USER 'root'@'${MARIADB_ROOT_HOST}' IDENTIFIED BY '${rootPasswordEscaped}' ;
			GRANT ALL ON *.* TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION ;
			GRANT PROXY ON ''@'%' TO 'root'@'${MARIADB_ROOT_HOST}' WITH GRANT OPTION;
		EOSQL
    fi

    if [ "${SECOPS_MARIADB_ROOT_SOCKET:-}" = 1 ]; then
        rootLocalhostPass="ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('${rootPasswordEscaped}') OR unix_socket;"
    else
        rootLocalhostPass="SET PASSWORD FOR 'root'@'localhost'= PASSWORD('${rootPasswordEscaped}');"
    fi

    if [ -n "$MARIADB_DATABASE" ]; then
        mysql_note "Creating database ${MARIADB_DATABASE}"
        createDatabase="CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"
    fi
    if [ -n "$MARIADB_PASSWORD" ] && [ -n "$MARIADB_USER" ]; then
        mysql_note "Creating user ${MARIADB_USER}"
        local userPasswordEscaped
        userPasswordEscaped=$(docker_sql_escape_string_literal "${MARIADB_PASSWORD}")
        createUser="CREATE USER '$MARIADB_USER'@'$MARIADB_USER_HOST' IDENTIFIED BY '$userPasswordEscaped';"
        if [ -n "$MARIADB_DATABASE" ]; then
            mysql_note "Giving user ${MARIADB_USER} access to schema ${MARIADB_DATABASE}"
            userGrants="GRANT ALL ON \`${MARIADB_DATABASE//_/\\_}\`.* TO '$MARIADB_USER'@'$MARIADB_USER_HOST';"
        fi
    fi

    local createHealthCheckUsers
    createHealthCheckUsers=$(create_healthcheck_users)

    mysql_note "Securing system users (equivalent to running mysql_secure_installation)"
    docker_process_sql --dont-use-mysql-root-password --database=mysql --binary-mode <<-EOSQL
		-- this session carries passwords: keep it out of the general and slow logs and the binlog
		SET @@SESSION.sql_log_off=1, @@SESSION.slow_query_log=0, @@SESSION.SQL_LOG_BIN=0;
		SET @@SESSION.SQL_MODE=REPLACE(@@SESSION.SQL_MODE, 'NO_BACKSLASH_ESCAPES', '');

		DROP USER IF EXISTS root@'127.0.0.1', root@'::1';
		EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS root@\'', @@hostname,'\'');

		${rootLocalhostPass}
		${rootCreate}
		${createHealthCheckUsers}
		${createDatabase}
		${createUser}
		${userGrants}
	EOSQL
}

docker_process_init_files() {
    local f
    echo
    for f; do
        case "$f" in
            *.sh)
                if [ -x "$f" ]; then
                    mysql_note "$0: running $f"
                    "$f"
                else
                    mysql_note "$0: sourcing $f"
                    # shellcheck disable=SC1090
                    . "$f"
                fi
                ;;
            *.sql) mysql_note "$0: running $f"; docker_process_sql <"$f"; echo ;;
            *.sql.gz) mysql_note "$0: running $f"; gunzip -c "$f" | docker_process_sql; echo ;;
            *) mysql_warn "$0: ignoring $f" ;;
        esac
        echo
    done
}

docker_mariadb_init() {
    ls /docker-entrypoint-initdb.d/ >/dev/null
    docker_init_database_dir "$@"
    mysql_note "Starting temporary server"
    docker_temp_server_start "$@"
    mysql_note "Temporary server started."
    docker_setup_db
    docker_process_init_files /docker-entrypoint-initdb.d/*
    mysql_note "Stopping temporary server"
    docker_temp_server_stop
    mysql_note "Temporary server stopped"
    echo
    mysql_note "MariaDB init process done. Ready for start up."
    echo
}

_mysql_want_help() {
    local arg
    for arg; do
        case "$arg" in
            -'?' | --help | --print-defaults | -V | --version) return 0 ;;
        esac
    done
    return 1
}

_main() {
    # a first argument that looks like a flag means: run mariadbd with it
    if [ "${1:0:1}" = '-' ]; then
        set -- mariadbd "$@"
    fi

    if { [ "$1" = mariadbd ] || [ "$1" = mysqld ]; } && ! _mysql_want_help "$@"; then
        mysql_note "Entrypoint script for MariaDB Server $(mariadbd --version | awk '{print $3}') started."
        mysql_check_config "$@"
        docker_setup_env "$@"
        docker_create_db_directories

        if [ "$(id -u)" = 0 ]; then
            mysql_note "Switching to dedicated user 'mysql'"
            HOME=/var/lib/mysql exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@"
        fi

        if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
            docker_verify_minimum_env
            docker_mariadb_init "$@"
        fi
        # the server needs none of them, and they would show in its /proc/PID/environ
        for password_var in ROOT_ ''; do
            unset "MARIADB_${password_var}PASSWORD" "MARIADB_${password_var}PASSWORD_HASH" \
                "MYSQL_${password_var}PASSWORD" "MARIADB_${password_var}FILE" "MYSQL_${password_var}FILE"
        done
        unset MYSQL_ROOT_HOST MYSQL_ROOT_HOST_FILE MARIADB_ROOT_HOST MARIADB_ROOT_HOST_FILE
    fi
    exec "$@"
}

_main "$@"
