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

# bench_org: a database "bench" with xero_fdw and an organisation "bench" connected to the bundled
# server's first tenant. Sets $tenant, and $issued (the token answer, whose access token the
# benchmarks that call the server themselves use).
bench_org() {
    local rt bench=(psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench)
    psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
    issued=$(curl -sf -X POST -H 'content-type: application/json' -d '{"client_id":"demo-client"}' "$xero/__mock/tokens/issue")
    rt=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["refresh_token"])' "$issued")
    "${bench[@]}" <<SQL >/dev/null
CREATE EXTENSION xero_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '$xero/api.xro/2.0', identity_url '$xero', login_url '$xero');
CREATE USER MAPPING FOR PUBLIC SERVER bench OPTIONS (client_id 'demo-client', client_secret 'demo-secret');
SELECT * FROM xero_connect('bench', '$rt');
SQL
    tenant=$("${bench[@]}" -c "SELECT tenant_id FROM xero_tenants('bench') LIMIT 1")
    "${bench[@]}" -c "ALTER SERVER bench OPTIONS (ADD tenant_id '$tenant')"
}
