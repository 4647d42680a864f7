#!/usr/bin/env bash
# Benchmark: read the whole general ledger through xero_journal_lines() (Journals by offset, 100
# journals a call, as Xero pages them) from the bundled Xero server, and print journals and lines
# per second, the calls made against the fewest possible (⌈journals/100⌉ + 1), and the backend's
# peak memory. The server's ledger grows with its invoices (each posted invoice, payment, credit
# note, … makes a journal).
#   bench/journals.sh [INVOICES]      default: 20000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
invoices=${1:-20000}

source scripts/bundled.sh
build_release
start_throwaway journals --tenants 1 --invoices "$invoices" --contacts 500
admin() { curl -sf -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$xero/__mock/$2"; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench "$@"; }

psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE bench"
refresh_token=$(admin POST tokens/issue '{"client_id":"demo-client"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])')
sql <<SQL >/dev/null
CREATE EXTENSION xero_fdw;
CREATE SERVER bench FOREIGN DATA WRAPPER xero_fdw OPTIONS (api_url '$xero/api.xro/2.0', identity_url '$xero', login_url '$xero');
CREATE USER MAPPING FOR PUBLIC SERVER bench OPTIONS (client_id 'demo-client', client_secret 'demo-secret');
SELECT * FROM xero_connect('bench', '$refresh_token');
SQL
sql -c "ALTER SERVER bench OPTIONS (ADD tenant_id '$(sql -c "SELECT tenant_id FROM xero_tenants('bench') LIMIT 1")')"

echo "xero_journal_lines() from the bundled server: $(nproc) cores, a ledger of $invoices invoices"
printf '%10s %10s %9s %14s %8s %9s %14s %12s\n' journals lines seconds lines/second calls fewest peak_rss_MB balanced
admin POST reset >/dev/null
out=$(sql <<SQL
SELECT clock_timestamp() AS t0 \gset
CREATE TEMP TABLE l AS SELECT journal_id, journal_number, net_amount FROM xero_journal_lines('bench');
SELECT count(DISTINCT journal_id), count(*), round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 3),
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint / 1024,
       NOT EXISTS (SELECT 1 FROM l GROUP BY journal_id HAVING sum(net_amount) <> 0)
FROM l
SQL
)
IFS='|' read -r journals lines secs hwm balanced <<<"$out"
calls=$(admin GET stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"].get("Journals", 0))')
fewest=$(( (journals + 99) / 100 + 1 ))
rate=$(python3 -c "print(round($lines / $secs))")
printf '%10s %10s %9s %14s %8s %9s %14s %12s\n' "$journals" "$lines" "$secs" "$rate" "$calls" "$fewest" "$hwm" "$balanced"
[ "$calls" -le "$fewest" ] || { echo "FAIL: $calls calls for $journals journals (at most $fewest)"; exit 1; }
