#!/usr/bin/env bash
# /usr/local/bin/healthcheck.sh of secops-test/mariadb:10.11: the subset of the official
# image's healthcheck.sh that compose files use:
#   healthcheck.sh --connect --innodb_initialized
# Tests run in order; all must pass. Without a passing --connect (or --no-connect) the
# connect test runs last, as upstream.
#   --connect             a TCP connection to localhost answers (an access-denied answer
#                         counts: the server is up; authentication is not tested)
#   --innodb_initialized  InnoDB finished crash recovery (a query over the socket)
#   --no-connect          skip the implied connect test
#   --su-mysql, --su=USER run as that unix user (only for unix_socket accounts)
#   --defaults-file=F, --defaults-extra-file=F, --no-defaults, --datadir=D
# Credentials: by default the healthcheck@localhost account the entrypoint created, from
# DATADIR/.my-healthcheck.cnf (mode 0600): no password on any command line.
set -eo pipefail

datadir=/var/lib/mysql
defaults=()
connect_s=

[ ! -f "$datadir/.my-healthcheck.cnf" ] || defaults=(--defaults-extra-file="$datadir/.my-healthcheck.cnf")

connect() {
    local s
    s="$(mariadb "${defaults[@]}" -h localhost --protocol tcp --skip-column-names --batch \
        --skip-print-query-on-error -e 'select @@skip_networking' 2>&1)" || true
    case "$s" in
        0 | ERROR\ 1820\ \(HY000\)* | ERROR\ 4151\ \(HY000\):* | ERROR\ 1226\ \(42000\)* | ERROR\ 1[0-9][0-9][0-9]\ \(28000\):*)
            connect_s=0 ;; # answered (perhaps refusing us): the server is up and listening
        1 | ERROR\ 2002\ \(HY000\):*) connect_s=1 ;;
        *)
            echo "Unknown error $s" >&2
            connect_s=1
            ;;
    esac
    return "$connect_s"
}

innodb_initialized() {
    local s
    s="$(mariadb "${defaults[@]}" --protocol socket -B --skip-column-names \
        -e "select 1 from information_schema.ENGINES WHERE engine='innodb' AND support in ('YES', 'DEFAULT', 'ENABLED')")"
    [ "$s" = 1 ]
}

while [ $# -gt 0 ]; do
    test=
    case "$1" in
        --su=*) u="${1#*=}"; shift; exec setpriv --reuid="$u" --regid="$u" --init-groups "${BASH_SOURCE[0]}" "$@" ;;
        --su-mysql) shift; exec setpriv --reuid=mysql --regid=mysql --init-groups "${BASH_SOURCE[0]}" "$@" ;;
        --datadir=*)
            datadir="${1#*=}"
            defaults=()
            [ ! -f "$datadir/.my-healthcheck.cnf" ] || defaults=(--defaults-extra-file="$datadir/.my-healthcheck.cnf")
            ;;
        --no-defaults) defaults=(--no-defaults) ;;
        --defaults-file=* | --defaults-extra-file=*) defaults=("$1") ;;
        --no-connect) connect_s=0 ;;
        --connect) test=connect ;;
        --innodb_initialized) test=innodb_initialized ;;
        *)
            echo "healthcheck unknown option or test '$1'" >&2
            exit 1
            ;;
    esac
    if [ -n "$test" ] && ! "$test"; then
        echo "healthcheck $test failed" >&2
        exit 1
    fi
    shift
done
if [ "$connect_s" != 0 ]; then
    connect
    exit $?
fi
