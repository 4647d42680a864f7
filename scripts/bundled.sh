#!/usr/bin/env bash
# Shared by the demo and the benchmarks (sourced): a release build of the extension and the
# bundled Xero server, and a throwaway cluster with the server beside it, cleaned up on exit.

# Builds the bundled server and installs the extension, both release; quiet unless it fails.
build_release() {
    local log
    log=$(mktemp)
    if ! { cargo build --release -p xero-mock && cargo pgrx install --release --pg-config /usr/bin/pg_config; } >"$log" 2>&1; then
        tail -n 40 "$log"; echo "build failed (full log: $log)"; exit 1
    fi
    rm -f "$log"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

stop_throwaway() {
    if [ -n "${mock_pid:-}" ]; then kill "$mock_pid" 2>/dev/null || true; fi
    scripts/cluster.sh stop "$work/pg"
    rm -rf "$work"
}

# start_throwaway NAME [xero-mock arguments…]: sets $work, $port (PostgreSQL), $xero (the bundled
# server's URL) and $mock_pid. Unless KEEP=1, both are stopped when the script exits.
start_throwaway() {
    local name=$1; shift
    work=$(mktemp -d "/tmp/xero_fdw-$name.XXXXXX")
    chown postgres:postgres "$work"
    port=$(free_port)
    if [ "${KEEP:-}" != 1 ]; then trap stop_throwaway EXIT; fi
    scripts/cluster.sh start "$work/pg" "$port"
    "${CARGO_TARGET_DIR:-target}/release/xero-mock" --port 0 "$@" >"$work/mock.out" 2>"$work/mock.err" &
    mock_pid=$!
    for _ in $(seq 100); do grep -q XERO_MOCK_URL "$work/mock.out" 2>/dev/null && break; sleep 0.1; done
    xero=$(sed -n 's/^XERO_MOCK_URL=//p' "$work/mock.out")
    [ -n "$xero" ] || { echo "the bundled Xero server did not start:"; cat "$work/mock.err"; exit 1; }
}
