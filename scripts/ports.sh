# shellcheck shell=bash
# Sourced by scripts/testdb.sh and scripts/galera.sh: a random TCP port
# candidate for a private server, below the kernel's ephemeral range
# (/proc/sys/net/ipv4/ip_local_port_range), so that no outgoing connection
# (a Galera node's own, rsync's, a test's) can take it between the choice
# and the server's bind. The caller still checks that nothing listens there.
random_server_port() {
    local low=32768
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
    ((low > 11024)) || low=32768
    echo $((10000 + RANDOM % (low - 10000)))
}
