#!/usr/bin/env bash
# Throwaway private MariaDB Galera cluster for tests, living entirely under DIR:
# N nodes (default 2) of Debian's mariadbd with galera-4, each on 127.0.0.1
# with its own free TCP ports (client, group communication, IST, SST) and a
# unix socket; the system service and system my.cnf are never touched.
#   scripts/galera.sh start DIR [N]  bootstrap node 1, join the others, wait
#                                    until every node is Synced; create user
#                                    litelift (password 'lite pass') and
#                                    database litelift_test
#   scripts/galera.sh stop DIR       shut every node down and wait
#   scripts/galera.sh env DIR        print shell exports: LITELIFT_GALERA_URLn
#                                    (TCP URL of node n) and _SOCKETn
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/ports.sh
source "$SCRIPT_DIR/ports.sh"
MARIADBD=${MARIADBD:-/usr/sbin/mariadbd}
PROVIDER=${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}
TIMEOUT=${LITELIFT_DB_START_TIMEOUT:-120}

usage() {
    echo "usage: $0 start DIR [N] | stop DIR | env DIR" >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
cmd=$1
dir=$2
nodes=${3:-2}
[[ "$cmd" != start ]] || mkdir -p "$dir"
[[ -d "$dir" ]] && dir=$(cd "$dir" && pwd)

node_sql() { # NODE SQL...
    local n=$1
    shift
    mariadb --no-defaults -S "$dir/n$n/mysql.sock" -uroot -N -B -e "$*"
}

# A TCP port on 127.0.0.1 that nothing listens on and no earlier call of
# this run handed out (ss from iproute2, which the rsync transfer uses too).
TAKEN=" "
free_port() {
    local p
    while :; do
        p=$(random_server_port)
        [[ "$TAKEN" != *" $p "* ]] || continue
        ss -Htan "( sport = :$p )" | grep -q . && continue
        TAKEN+="$p "
        echo "$p"
        return
    done
}

start_node() { # NODE BOOTSTRAP
    local n=$1 boot=$2 d="$dir/n$1"
    local user_opt=()
    [[ $(id -u) -ne 0 ]] || user_opt=(--user=root)
    mkdir -p "$d/data" "$d/tmp"
    if ((!boot)); then
        # a joiner's data arrive by rsync state transfer, whose daemon
        # started by root writes as nobody: an empty directory nobody owns
        chmod 777 "$d/data"
        [[ $(id -u) -ne 0 ]] || chown nobody: "$d/data"
    elif [[ ! -d "$d/data/mysql" ]]; then
        mariadb-install-db --no-defaults "${user_opt[@]}" --auth-root-authentication-method=normal \
            --skip-test-db --datadir="$d/data" >"$d/install-db.log" 2>&1
    fi
    local extra=()
    ((boot)) && extra=(--wsrep-new-cluster)
    # shellcheck disable=SC1090
    source "$d/ports"
    setsid "$MARIADBD" --no-defaults "${user_opt[@]}" --datadir="$d/data" --tmpdir="$d/tmp" \
        --socket="$d/mysql.sock" --pid-file="$d/mysqld.pid" --log-error="$d/mysqld.log" \
        --port="$client" --bind-address=127.0.0.1 --local-infile=1 --max-allowed-packet=64M \
        --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2 \
        --wsrep-on=ON --wsrep-provider="$PROVIDER" --wsrep-cluster-name=litelift-test \
        --wsrep-cluster-address="gcomm://$(cat "$dir/members")" \
        --wsrep-node-address="127.0.0.1:$gcomm" --wsrep-node-incoming-address="127.0.0.1:$client" \
        --wsrep-provider-options="gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$ist" \
        --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst" \
        "${extra[@]}" </dev/null >/dev/null 2>&1 &
}

wait_synced() { # NODE
    local n=$1 waited=0 state=""
    while ((waited < TIMEOUT * 2)); do
        state=$(node_sql "$n" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'WSREP_LOCAL_STATE_COMMENT'" 2>/dev/null || true)
        [[ "$state" == Synced ]] && return 0
        sleep 0.5
        waited=$((waited + 1))
    done
    echo "galera: node $n is not Synced after ${TIMEOUT}s (state '$state')" >&2
    tail -n 30 "$dir/n$n/mysqld.log" >&2 || true
    exit 1
}

do_start() {
    local members=() n
    for ((n = 1; n <= nodes; n++)); do
        mkdir -p "$dir/n$n"
        if [[ ! -f "$dir/n$n/ports" ]]; then
            local c g i s
            c=$(free_port) && TAKEN+="$c "
            g=$(free_port) && TAKEN+="$g "
            i=$(free_port) && TAKEN+="$i "
            s=$(free_port) && TAKEN+="$s "
            printf 'client=%s\ngcomm=%s\nist=%s\nsst=%s\n' "$c" "$g" "$i" "$s" >"$dir/n$n/ports"
        fi
        # shellcheck disable=SC1091
        members+=("127.0.0.1:$(source "$dir/n$n/ports" && echo "$gcomm")")
    done
    (IFS=,; echo "${members[*]}") >"$dir/members"
    echo "$nodes" >"$dir/nodes"
    start_node 1 1
    wait_synced 1
    for ((n = 2; n <= nodes; n++)); do
        start_node "$n" 0
        wait_synced "$n"
    done
    node_sql 1 "CREATE USER IF NOT EXISTS 'litelift'@'%' IDENTIFIED BY 'lite pass';
                GRANT ALL PRIVILEGES ON *.* TO 'litelift'@'%' WITH GRANT OPTION;
                CREATE USER IF NOT EXISTS 'litelift'@'localhost' IDENTIFIED BY 'lite pass';
                GRANT ALL PRIVILEGES ON *.* TO 'litelift'@'localhost' WITH GRANT OPTION;
                CREATE DATABASE IF NOT EXISTS litelift_test CHARACTER SET utf8mb4"
    echo "galera: $nodes node(s) Synced under $dir"
}

do_stop() {
    local n pid
    [[ -f "$dir/nodes" ]] || return 0
    for ((n = $(cat "$dir/nodes"); n >= 1; n--)); do
        [[ -f "$dir/n$n/mysqld.pid" ]] || continue
        pid=$(tr -dc '0-9' <"$dir/n$n/mysqld.pid")
        [[ -n "$pid" ]] || continue
        kill "$pid" 2>/dev/null || continue
        for ((w = 0; w < 240 && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); w++)); do
            sleep 0.25
        done
    done
}

do_env() {
    local n
    for ((n = 1; n <= $(cat "$dir/nodes"); n++)); do
        # shellcheck disable=SC1091
        source "$dir/n$n/ports"
        echo "export LITELIFT_GALERA_URL$n='mysql://litelift:lite%20pass@127.0.0.1:$client/litelift_test'"
        echo "export LITELIFT_GALERA_SOCKET$n='$dir/n$n/mysql.sock'"
    done
}

case "$cmd" in
start) do_start ;;
stop) do_stop ;;
env) do_env ;;
*) usage ;;
esac
