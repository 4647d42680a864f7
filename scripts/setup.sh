#!/usr/bin/env bash
# Installs what building and testing xero_fdw needs on Debian 12 with PostgreSQL 15, skipping
# whatever is already there. Sourced by demo.sh and test.sh.
set -euo pipefail

need_apt=()
for pkg in postgresql-15 postgresql-server-dev-15 postgresql-15-cron libclang-dev clang sudo pkg-config curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
    echo "setup: installing ${need_apt[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The column generator's check reads Xero's OpenAPI YAML.
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q pyyaml

if ! cargo pgrx --version 2>/dev/null | grep -q "0.16.1"; then
    echo "setup: installing cargo-pgrx 0.16.1 (a few minutes)"
    cargo install --locked cargo-pgrx --version 0.16.1 >/dev/null
fi

PGRX_HOME="${PGRX_HOME:-$HOME/.pgrx}"
if ! grep -qs 'pg15 = "/usr/bin/pg_config"' "$PGRX_HOME/config.toml"; then
    echo "setup: pointing cargo-pgrx at PostgreSQL 15 (/usr/bin/pg_config)"
    cargo pgrx init --pg15 /usr/bin/pg_config >/dev/null
fi
