#!/usr/bin/env bash
# Benchmark: pushing N new invoices to the bundled Xero server, which answers every write call
# after LATENCY ms (Xero takes about a second a call), three ways:
#   batched      INSERT INTO acme.invoices … SELECT …              (batch_size 50: N/50 calls)
#   returning    the same INSERT … RETURNING invoice_id             (a row a call, as RETURNING needs)
#   xero_api     a PL/pgSQL loop calling xero_api('PUT', 'Invoices', …) per row, the way people
#                script it by hand with pgsql-http or a client library (a row a call)
# and, when the extension has it, CALL xero_push(…) of a staging table. Prints rows, calls the
# server answered, seconds, rows per second, and what the calls alone would cost at Xero's ~1 s.
#   bench/writes.sh [N] [LATENCY_MS]      defaults: 200 rows, 100 ms
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
rows=${1:-200}
latency=${2:-100}

source scripts/bundled.sh
build_release
start_throwaway bench --tenants 1 --invoices 500 --contacts 50
admin() { curl -sf -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$xero/__mock/$2"; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench "$@"; }

bench_org
sql <<SQL >/dev/null
CREATE SCHEMA acme;
IMPORT FOREIGN SCHEMA accounting LIMIT TO (invoices, contacts, accounts) FROM SERVER bench INTO acme;
CREATE TABLE new_invoices AS
SELECT 'ACCREC'::text AS type, (SELECT contact_id FROM acme.contacts ORDER BY name LIMIT 1) AS contact_id,
       date '2026-11-02' AS date, date '2026-12-02' AS due_date, 'BENCH-' || n AS reference,
       jsonb_build_array(jsonb_build_object('Description', 'Item ' || n, 'Quantity', 1, 'UnitAmount', n,
           'AccountCode', (SELECT code FROM acme.accounts WHERE type = 'REVENUE' AND status = 'ACTIVE' ORDER BY code LIMIT 1))) AS line_items
FROM generate_series(1, $rows) n;
CREATE FUNCTION push_by_hand() RETURNS integer LANGUAGE plpgsql AS \$\$
DECLARE r record; n integer := 0;
BEGIN
    FOR r IN SELECT * FROM new_invoices LOOP
        PERFORM xero_api('bench', 'PUT', 'Invoices', request_body => jsonb_build_object('Invoices', jsonb_build_array(jsonb_build_object(
            'Type', r.type, 'Contact', jsonb_build_object('ContactID', r.contact_id), 'Date', r.date, 'DueDate', r.due_date,
            'Reference', r.reference || '-api', 'LineItems', r.line_items))));
        n := n + 1;
    END LOOP;
    RETURN n;
END \$\$;
SQL
cols="type, contact_id, date, due_date, reference, line_items"
has_push=$(sql -c "SELECT count(*) FROM pg_proc WHERE proname = 'xero_push'")
if [ "$has_push" != 0 ]; then
    sql -c "CREATE TABLE staging AS SELECT $cols, NULL::uuid AS xero_id, NULL::text AS push_status, NULL::jsonb AS push_errors, NULL::timestamptz AS pushed_at FROM new_invoices" >/dev/null
fi

run() {  # run NAME SQL
    admin POST reset >/dev/null
    admin POST faults "{\"latency_ms\": $latency}" >/dev/null
    local t0 t1 calls secs
    t0=$(date +%s.%N)
    sql -c "$2" >/dev/null
    t1=$(date +%s.%N)
    admin DELETE faults >/dev/null 2>&1 || admin POST faults/clear >/dev/null 2>&1 || true
    calls=$(admin GET stats | python3 -c 'import json,sys; r=json.load(sys.stdin)["requests"]; print(sum(v for k, v in r.items() if k.startswith(("PUT", "POST"))))')
    secs=$(python3 -c "print(round($t1 - $t0, 2))")
    printf '%-10s %6s %6s %9s %10s %16s\n' "$1" "$rows" "$calls" "$secs" "$(python3 -c "print(round($rows / $secs, 1))")" "$calls s"
}

echo "Pushing $rows invoices to the bundled server, each write call answered after $latency ms ($(nproc) cores)"
printf '%-10s %6s %6s %9s %10s %16s\n' way rows calls seconds rows/s "calls at ~1 s"
run batched "INSERT INTO acme.invoices ($cols) SELECT $cols FROM new_invoices"
run returning "INSERT INTO acme.invoices ($cols) SELECT type, contact_id, date, due_date, reference || '-r', line_items FROM new_invoices RETURNING invoice_id"
run xero_api "SELECT push_by_hand()"
if [ "$has_push" != 0 ]; then
    run xero_push "CALL xero_push('bench', 'invoices', 'staging')"
fi
echo "invoices the server now has from this run: $(sql -c "SELECT count(*) FROM acme.invoices WHERE reference LIKE 'BENCH-%'")"
