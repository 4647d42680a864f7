#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster on 127.0.0.1 for the demo and the tests. PostgreSQL refuses
# to run as root, so the cluster belongs to the postgres user.
#   cluster.sh start DIR PORT   initdb (if needed) and start
#   cluster.sh stop DIR         stop fast
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else sudo -u postgres "$@"; fi; }

case "$1" in
start)
    dir=$2 port=$3
    if [ ! -f "$dir/PG_VERSION" ]; then
        mkdir -p "$dir"
        chown postgres:postgres "$dir" 2>/dev/null || true
        as_pg "$BIN/initdb" -D "$dir" -A trust -U postgres --no-sync >/dev/null
        cat >>"$dir/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 100
max_worker_processes = 32
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
# xero_fdw: cluster-wide quota and call records, and the bundled server on loopback.
shared_preload_libraries = 'xero_fdw'
xero_fdw.allowed_hosts = '127.0.0.1'
xero_fdw.allow_http_loopback = on
CONF
        # Extra settings for one cluster, e.g. a test that needs too few worker slots.
        if [ -n "${XERO_CLUSTER_EXTRA_CONF:-}" ]; then printf '%s\n' "$XERO_CLUSTER_EXTRA_CONF" >>"$dir/postgresql.conf"; fi
    fi
    as_pg "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
    ;;
stop)
    [ -f "$2/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$2" -m fast -w stop >/dev/null || true
    ;;
*)
    echo "usage: cluster.sh start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
