#!/usr/bin/env bash
# Benchmark: OAuth 1.0a HMAC-SHA1 signatures per second from SQL, through
# xero_oauth1_authorization_header (fresh CSPRNG nonce and the current time on every call), beside
# a PL/pgSQL signer built on pgcrypto (bench/oauth1_plpgsql_signer.sql, the hand-rolled way), in
# the same run and session, and the ratio. Both must produce the same header for the same inputs;
# the script checks that first. Each signer runs ROUNDS times; the best round counts.
#
#   bench/oauth1_signatures.sh [N] [N_PLPGSQL]     default: 300000 20000
#
# With PGPORT (and optionally PGHOST, PGUSER, PGDATABASE) set, it runs against that cluster, where
# xero_fdw must already be installed (build it with --release: `cargo pgrx install
# --release --pg-config /usr/bin/pg_config`; a debug build signs several times slower). Without
# PGPORT it builds and installs the release build, starts a throwaway cluster with
# scripts/cluster.sh and removes it afterwards.
# Targets: at least 100,000 signatures/s and at least 10x the PL/pgSQL signer.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-300000}
n_plpgsql=${2:-20000}
rounds=${ROUNDS:-3}

if [ -z "${PGPORT:-}" ]; then
    build_log=$(mktemp)
    if ! cargo pgrx install --release --pg-config /usr/bin/pg_config >"$build_log" 2>&1; then
        tail -n 40 "$build_log"; echo "build failed"; exit 1
    fi
    rm -f "$build_log"
    work=$(mktemp -d /tmp/xero_fdw-oauth1-bench.XXXXXX)
    chown postgres:postgres "$work" 2>/dev/null || true
    export PGPORT; PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    trap 'scripts/cluster.sh stop "$work/pg"; rm -rf "$work"' EXIT
    scripts/cluster.sh start "$work/pg" "$PGPORT"
    export PGHOST=127.0.0.1 PGUSER=postgres PGDATABASE=postgres
    psql -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE oauth1_bench"
    export PGDATABASE=oauth1_bench
fi
export PGHOST=${PGHOST:-127.0.0.1} PGPORT PGUSER=${PGUSER:-postgres}
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }

sql -c "CREATE EXTENSION IF NOT EXISTS xero_fdw" >/dev/null
sql -f bench/oauth1_plpgsql_signer.sql >/dev/null

# The request: a Xero API call with query parameters, an access token and its secret.
url="https://api.xero.com/api.xro/2.0/Invoices?page=2&order=Date%20DESC&where=Status%3D%3D%22AUTHORISED%22"
args="'GET', '$url', '[]', 'CONSUMERKEY0123456789ABCDEFGHIJ', 'consumer-secret-0123456789ABCDEFGHIJ', 'access-token-0123456789', 'token-secret-0123456789ABCDEFGHIJ'"

# Same inputs, same header (fixed nonce and timestamp), also with a form body and awkward text.
same=$(sql <<SQL
SELECT bool_and(a = b) FROM (
  SELECT bench_oauth1_plpgsql_header($args, 'n0nce', 1700000000) AS a,
         xero_oauth1_authorization_header($args, nonce => 'n0nce', "timestamp" => 1700000000) AS b
  UNION ALL
  SELECT bench_oauth1_plpgsql_header('POST', 'HTTPS://API.Xero.com:443/api.xro/2.0/Contacts?x=a+b&y=%C3%A9', '[["Name", "Ladies + Gentlemen ☃"], ["a*b", "~"]]', 'ck', 'c s&', 'tok', 'ts%', 'n0nce', 1700000001),
         xero_oauth1_authorization_header('POST', 'HTTPS://API.Xero.com:443/api.xro/2.0/Contacts?x=a+b&y=%C3%A9', '[["Name", "Ladies + Gentlemen ☃"], ["a*b", "~"]]', 'ck', 'c s&', 'tok', 'ts%', nonce => 'n0nce', "timestamp" => 1700000001)
) t
SQL
)
if [ "$same" != t ]; then
    echo "FAIL: the PL/pgSQL signer and xero_oauth1_authorization_header disagree:" >&2
    sql -c "SELECT bench_oauth1_plpgsql_header($args, 'n0nce', 1700000000)" -c "SELECT xero_oauth1_authorization_header($args, nonce => 'n0nce', \"timestamp\" => 1700000000)" >&2
    exit 1
fi

# One session for both signers; count() forces every call, clock_timestamp() times the statement.
out=$(sql <<SQL
CREATE TEMP TABLE r (signer text, n int, secs float8);
DO \$\$
DECLARE t0 timestamptz; c bigint;
BEGIN
  FOR round IN 1 .. $rounds LOOP
    t0 := clock_timestamp();
    SELECT count(xero_oauth1_authorization_header($args)) INTO c FROM generate_series(1, $n);
    INSERT INTO r VALUES ('rust', c, extract(epoch FROM clock_timestamp() - t0));
    t0 := clock_timestamp();
    SELECT count(bench_oauth1_plpgsql_header($args)) INTO c FROM generate_series(1, $n_plpgsql);
    INSERT INTO r VALUES ('plpgsql', c, extract(epoch FROM clock_timestamp() - t0));
  END LOOP;
END \$\$;
SELECT signer, n, round(min(secs)::numeric, 3), round(max(n / secs))::bigint FROM r GROUP BY signer, n ORDER BY signer DESC;
SQL
)
rust_rate=$(awk -F'|' '$1=="rust"{print $4}' <<<"$out")
plpgsql_rate=$(awk -F'|' '$1=="plpgsql"{print $4}' <<<"$out")
echo "OAuth 1.0a HMAC-SHA1 Authorization headers from SQL ($(nproc) cores, PostgreSQL $(sql -c 'SHOW server_version'), best of $rounds, fresh nonce per call; same header checked)"
printf '%-34s %10s %9s %14s\n' signer signatures seconds signatures/s
awk -F'|' '{printf "%-34s %10s %9s %14s\n", ($1=="rust" ? "xero_oauth1_authorization_header" : "PL/pgSQL + pgcrypto"), $2, $3, $4}' <<<"$out"
ratio=$(python3 -c "print(f'{$rust_rate / $plpgsql_rate:.1f}')")
echo "ratio: ${ratio}x"
status=0
if [ "$rust_rate" -lt 100000 ]; then echo "BELOW TARGET: fewer than 100,000 signatures/s"; status=1; fi
if python3 -c "import sys; sys.exit(0 if $rust_rate >= 10 * $plpgsql_rate else 1)"; then :; else echo "BELOW TARGET: less than 10x the PL/pgSQL signer"; status=1; fi
exit $status
