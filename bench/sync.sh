#!/usr/bin/env bash
# Benchmark: CALL xero_sync of one organisation into a schema, from the bundled Xero server: a
# first sync (tables created and loaded) and then a resync with nothing changed. Prints for each
# run and entity the rows written, the calls made (xero_sync_status), seconds and rows per second.
#   bench/sync.sh [INVOICES]      default: 100000 (the server also holds 500 contacts)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
invoices=${1:-100000}
entities="ARRAY['invoices','invoice_line_items','contacts','accounts','journals']"

source scripts/bundled.sh
build_release
start_throwaway bench --tenants 1 --invoices "$invoices" --contacts 500
admin() { curl -sf -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$xero/__mock/$2"; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench "$@"; }

bench_org
sql -c "CREATE SCHEMA xero"

echo "CALL xero_sync from the bundled server: $(nproc) cores, server holds $invoices invoices, 500 contacts"
printf '%-10s %-20s %-12s %10s %8s %9s %12s\n' run entity mode rows calls seconds rows/second
for run in first resync; do
    admin POST reset >/dev/null
    t0=$(date +%s.%N)
    sql -c "CALL xero_sync('bench', 'xero', $entities)" 2>/dev/null
    t1=$(date +%s.%N)
    server_calls=$(admin GET stats | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["requests"].values()))')
    # Per entity, as xero_sync_status recorded the run; rows = inserted + updated + deleted.
    while IFS='|' read -r entity mode rows calls secs; do
        rate=$(python3 -c "print(round($rows / $secs) if $secs > 0 else 0)")
        printf '%-10s %-20s %-12s %10s %8s %9s %12s\n' "$run" "$entity" "$mode" "$rows" "$calls" "$secs" "$rate"
    done < <(sql -c "SELECT entity, mode, rows_inserted + rows_updated + rows_deleted, calls,
                            round(extract(epoch FROM duration)::numeric, 3)
                     FROM xero_sync_status WHERE server_name = 'bench' ORDER BY entity")
    read -r rows calls < <(sql -F ' ' -c "SELECT sum(rows_inserted + rows_updated + rows_deleted), sum(calls) FROM xero_sync_status WHERE server_name = 'bench'")
    secs=$(python3 -c "print(round($t1 - $t0, 3))")
    rate=$(python3 -c "print(round($rows / $secs))")
    printf '%-10s %-20s %-12s %10s %8s %9s %12s\n' "$run" "(all, CALL)" "" "$rows" "$calls" "$secs" "$rate"
    echo "  the server answered $server_calls API calls during the $run run"
done
echo "local rows: $(sql -c "SELECT string_agg(format('%s %s', t, n), ', ') FROM (VALUES
    ('invoices', (SELECT count(*) FROM xero.invoices)), ('invoice_line_items', (SELECT count(*) FROM xero.invoice_line_items)),
    ('contacts', (SELECT count(*) FROM xero.contacts)), ('accounts', (SELECT count(*) FROM xero.accounts)),
    ('journals', (SELECT count(*) FROM xero.journals))) v(t, n)")"
