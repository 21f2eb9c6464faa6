#!/usr/bin/env bash
# Install the Debian packages litelift needs to build and test (as root, via
# apt-get). Never starts or touches the system MariaDB service. As non-root it
# only reports what is missing (exit 1 if anything is).
set -euo pipefail

PACKAGES=(
    build-essential pkg-config
    mariadb-server mariadb-client libmariadb-dev libmariadb-dev-compat
    libsqlite3-dev sqlite3 zlib1g-dev
    libcriterion-dev libyajl-dev libinih-dev time
    openssl bsdutils procps tmux # tests: TLS certificates, a terminal for -p (script), ps, the live display (tmux)
    proj-data monajat-data birdfont-common
    galera-4 rsync iproute2
    clang clang-tools cppcheck valgrind # make fuzz (libFuzzer), sanitize, lint (scan-build), valgrind
)

missing=()
for pkg in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$pkg")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "deps: all packages installed"
    exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]}" >&2
    echo "deps: install them with:" >&2
    echo "  sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "deps: installing: ${missing[*]}"

# Keep maintainer scripts from starting services (e.g. mariadb) during install.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
cleanup() {
    if [[ $created_policy -eq 1 ]]; then
        rm -f "$POLICY"
    fi
}
trap cleanup EXIT
if [[ ! -e "$POLICY" ]]; then
    printf '#!/bin/sh\n# temporary: created by litelift scripts/deps.sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    created_policy=1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "deps: done"
