#!/usr/bin/env bash
# The whole test suite, from a fresh machine of this kind: set-up, the plain-Rust tests, then
# the in-database tests against a throwaway PostgreSQL 15 cluster and the bundled Xero server.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { "$@" 2>&1 | tee -a "$log"; return "${PIPESTATUS[0]}"; }

echo "== tier 1: plain-Rust tests (no PostgreSQL)"
run cargo test --workspace --exclude xero_fdw --exclude xero-dbtests

echo "== tier 2: in-database tests"
cargo pgrx install --pg-config /usr/bin/pg_config >/dev/null
# The previous releases' install scripts, for the upgrade test (CREATE EXTENSION … VERSION then
# ALTER EXTENSION UPDATE); cargo pgrx installs only this release's script and the upgrade scripts.
install -m 644 sql/releases/xero_fdw--*.sql "$(/usr/bin/pg_config --sharedir)/extension/"
cluster=$(mktemp -d /tmp/xero_fdw-test.XXXXXX)
chown postgres:postgres "$cluster"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'scripts/cluster.sh stop "$cluster"; rm -rf "$cluster" "$log"' EXIT
scripts/cluster.sh start "$cluster" "$port"
XERO_TEST_PGHOST=127.0.0.1 XERO_TEST_PGPORT=$port XERO_TEST_PGDATA=$cluster run cargo test -p xero-dbtests

passed=$(grep -oE 'test result: [a-zA-Z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
failed=$(grep -oE '[0-9]+ failed' "$log" | awk '{s+=$1} END {print s+0}')
echo "all tiers: $passed passed, $failed failed"
