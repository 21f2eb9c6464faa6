#!/usr/bin/env bash
# Throwaway private MariaDB server for tests, living entirely under DIR
# (unix socket only, no networking, ignores system my.cnf).
#   scripts/testdb.sh start DIR [tls]  start (idempotent) and create user litelift
#   scripts/testdb.sh stop DIR         shut down and wait for the process to exit
#   scripts/testdb.sh env DIR          print shell exports for the test suite
# With tls, the server also listens on 127.0.0.1 at a free port (DIR/port) with
# require_secure_transport=ON, and certificates made now with openssl under
# DIR/certs: ca.pem (the CA that signed server.pem, whose CN and SANs are
# localhost and 127.0.0.1) and wrong-ca.pem (a CA that signed nothing here).
set -euo pipefail
unset MYSQL_PWD # the server's root has no password: a caller's MYSQL_PWD would be sent

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/ports.sh
source "$SCRIPT_DIR/ports.sh"
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
START_TIMEOUT=${LITELIFT_DB_START_TIMEOUT:-60}
STOP_TIMEOUT=${LITELIFT_DB_STOP_TIMEOUT:-60}
DB_USER=litelift
DB_PASS='lite pass'
DB_NAME=litelift_test

usage() {
    echo "usage: $0 start DIR [tls] | stop DIR | env DIR" >&2
    exit 2
}

[[ $# -eq 2 || ($# -eq 3 && "$1" == start && "$3" == tls) ]] || usage
cmd=$1
dir=$2
tls=${3:-}
[[ -n "$dir" ]] || usage

# Absolute path: the socket path ends up in URLs and server options.
if [[ "$cmd" == start ]]; then
    mkdir -p "$dir"
fi
if [[ -d "$dir" ]]; then
    dir=$(cd "$dir" && pwd)
elif [[ "$dir" != /* ]]; then
    dir="$PWD/$dir"
fi

datadir="$dir/data"
sock="$dir/mysql.sock"
pidfile="$dir/mysqld.pid"
logfile="$dir/mysqld.log"

is_root() { [[ $(id -u) -eq 0 ]]; }

ping_server() {
    [[ -S "$sock" ]] || return 1
    mariadb-admin --no-defaults -S "$sock" -uroot --connect-timeout=2 ping >/dev/null 2>&1
}

server_pid() {
    local pid
    [[ -f "$pidfile" ]] || return 1
    pid=$(tr -dc '0-9' <"$pidfile")
    [[ -n "$pid" ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# Makes DIR/certs: a CA, a server certificate it signed for localhost and
# 127.0.0.1, and a second CA that signed nothing here.
make_certs() {
    local c="$dir/certs"
    mkdir -p "$c"
    local subj=/O=litelift-test
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "$subj/CN=litelift test CA" \
        -keyout "$c/ca-key.pem" -out "$c/ca.pem" 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "$subj/CN=litelift wrong CA" \
        -keyout "$c/wrong-ca-key.pem" -out "$c/wrong-ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "$subj/CN=localhost" \
        -keyout "$c/server-key.pem" -out "$c/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$c/ext.cnf"
    openssl x509 -req -in "$c/server.csr" -CA "$c/ca.pem" -CAkey "$c/ca-key.pem" \
        -CAcreateserial -days 2 -extfile "$c/ext.cnf" -out "$c/server.pem" 2>/dev/null
}

# Whether TCP port $1 is free on this machine (no listener in /proc/net/tcp*).
port_free() {
    local hex
    hex=$(printf ':%04X ' "$1")
    ! grep -q -- "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# The server's network options: none, or TLS on 127.0.0.1 at a free port.
net_opts=(--skip-networking)
pick_tls_port() {
    local port
    for _ in $(seq 1 50); do
        port=$(random_server_port)
        if port_free "$port"; then
            echo "$port" >"$dir/port"
            net_opts=(--bind-address=127.0.0.1 --port="$port" --require-secure-transport=ON
                --ssl-ca="$dir/certs/ca.pem" --ssl-cert="$dir/certs/server.pem"
                --ssl-key="$dir/certs/server-key.pem")
            return 0
        fi
    done
    echo "testdb: no free TCP port found" >&2
    exit 1
}

show_log() {
    if [[ -f "$logfile" ]]; then
        echo "---- tail of $logfile ----" >&2
        tail -n 40 "$logfile" >&2
        echo "----" >&2
    fi
}

do_start() {
    if ping_server; then
        echo "testdb: already running at $sock"
        return 0
    fi

    if [[ ! -x "$MARIADBD" ]]; then
        if is_root; then
            "$SCRIPT_DIR/deps.sh"
        fi
        if [[ ! -x "$MARIADBD" ]]; then
            echo "testdb: $MARIADBD not found; run scripts/deps.sh as root" >&2
            exit 1
        fi
    fi

    # A stale pid from a crashed run would confuse stop; a live one that does
    # not answer is something we cannot reason about.
    local oldpid
    if oldpid=$(server_pid); then
        echo "testdb: process $oldpid (from $pidfile) is alive but not answering" >&2
        show_log
        exit 1
    fi
    rm -f "$pidfile" "$sock"

    local user_opt=()
    if is_root; then
        user_opt=(--user=root)
    fi

    if [[ ! -d "$datadir/mysql" ]]; then
        echo "testdb: initialising $datadir"
        rm -rf "$datadir"
        mkdir -p "$datadir"
        if ! mariadb-install-db --no-defaults "${user_opt[@]}" \
            --auth-root-authentication-method=normal \
            --skip-test-db --datadir="$datadir" >"$dir/install-db.log" 2>&1; then
            echo "testdb: mariadb-install-db failed:" >&2
            tail -n 40 "$dir/install-db.log" >&2
            exit 1
        fi
    fi

    # its own temp dir: files other programs remove from /tmp are not its own
    mkdir -p "$dir/tmp"
    if [[ "$tls" == tls ]]; then
        make_certs
        pick_tls_port
    fi
    echo "testdb: starting $MARIADBD (socket $sock)"
    # setsid: detach from the caller's process group/terminal so Ctrl-C or a
    # job-control kill of the caller does not take the server down half-way.
    setsid "$MARIADBD" --no-defaults "${user_opt[@]}" \
        --datadir="$datadir" \
        --tmpdir="$dir/tmp" \
        --socket="$sock" \
        --pid-file="$pidfile" \
        --log-error="$logfile" \
        "${net_opts[@]}" \
        --local-infile=1 \
        --max-allowed-packet=64M \
        --innodb-buffer-pool-size=256M \
        --innodb-flush-log-at-trx-commit=2 \
        --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_unicode_ci \
        </dev/null >/dev/null 2>&1 &
    local bgpid=$!

    local waited=0
    until ping_server; do
        if ! kill -0 "$bgpid" 2>/dev/null; then
            echo "testdb: mariadbd exited during startup" >&2
            show_log
            exit 1
        fi
        if ((waited >= START_TIMEOUT * 2)); then
            echo "testdb: server did not answer within ${START_TIMEOUT}s" >&2
            show_log
            kill "$bgpid" 2>/dev/null || true
            exit 1
        fi
        sleep 0.5
        waited=$((waited + 1))
    done

    mariadb --no-defaults -S "$sock" -uroot <<SQL
CREATE USER IF NOT EXISTS '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'localhost' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'localhost' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
ALTER USER '$DB_USER'@'127.0.0.1' IDENTIFIED BY '$DB_PASS';
GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'127.0.0.1' WITH GRANT OPTION;
FLUSH PRIVILEGES;
CREATE DATABASE IF NOT EXISTS \`$DB_NAME\`;
SQL
    echo "testdb: ready (pid $(server_pid || echo '?'))"
}

do_stop() {
    local pid=""
    pid=$(server_pid) || pid=""
    if [[ -z "$pid" ]] && ! ping_server; then
        echo "testdb: not running"
        return 0
    fi

    mariadb-admin --no-defaults -S "$sock" -uroot --connect-timeout=5 shutdown \
        >/dev/null 2>&1 || {
        if [[ -n "$pid" ]]; then
            echo "testdb: mariadb-admin shutdown failed; sending SIGTERM to $pid" >&2
            kill "$pid" 2>/dev/null || true
        fi
    }

    if [[ -n "$pid" ]]; then
        local waited=0
        while kill -0 "$pid" 2>/dev/null; do
            if ((waited == STOP_TIMEOUT * 2)); then
                echo "testdb: $pid still alive after ${STOP_TIMEOUT}s; SIGKILL" >&2
                kill -9 "$pid" 2>/dev/null || true
            elif ((waited > STOP_TIMEOUT * 2 + 20)); then
                echo "testdb: could not stop $pid" >&2
                exit 1
            fi
            sleep 0.5
            waited=$((waited + 1))
        done
    fi
    rm -f "$pidfile"
    echo "testdb: stopped"
}

do_env() {
    printf 'export LITELIFT_TEST_SOCKET=%q\n' "$sock"
    # Socket path goes into the URL unencoded: keep DIR free of odd characters.
    if [[ "$sock" =~ [^A-Za-z0-9/._-] ]]; then
        echo "testdb: warning: socket path '$sock' contains characters that would need URL encoding" >&2
    fi
    printf "export LITELIFT_TEST_URL='mysql://%s:%s@localhost/%s?socket=%s'\n" \
        "$DB_USER" "lite%20pass" "$DB_NAME" "$sock"
}

case "$cmd" in
start) do_start ;;
stop) do_stop ;;
env) do_env ;;
*) usage ;;
esac
