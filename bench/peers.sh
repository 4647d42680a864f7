#!/usr/bin/env bash
# Benchmark against the alternatives, in one run: land the same invoices from the bundled Xero
# server into a local table three ways, and print seconds, rows/s, calls and the ratios, at 0 ms
# and at 200 ms added latency per Invoices call, for 20,000 and 100,000 invoices.
#   xero_fdw   INSERT INTO … SELECT … FROM xero_invoices(…)           (pages in flight side by side)
#   python     bench/peers_etl.py: requests, five pages in flight, psycopg COPY
#   plpython   bench/peers_plpython.sql: a PL/Python loop, page after page, INSERT … SELECT per page
# It first checks that all three land identical rows. It installs the extension: run it under
# the install lock when other checkouts share the machine (flock /tmp/xero_fdw-install.lock …).
#   bench/peers.sh [N ...]      default: 20000 100000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(20000 100000)
largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)
latencies=(0 200)

# What the peers need, installed once (idempotent).
if [ ! -e "$(/usr/bin/pg_config --pkglibdir)/plpython3.so" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql-plpython3-15 >/dev/null
fi
python3 -c 'import requests, psycopg' 2>/dev/null || pip install -q requests 'psycopg[binary]' >/dev/null

source scripts/bundled.sh
build_release
start_throwaway peers --tenants 1 --invoices "$largest" --contacts 500
admin() { curl -sf -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$xero/__mock/$2"; }
dsn="host=127.0.0.1 port=$port user=postgres dbname=bench"
sql() { psql -X -q -At -v ON_ERROR_STOP=1 "$dsn" "$@"; }
stat() { admin GET stats | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"; }

bench_org
access_token=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["access_token"])' "$issued")
sql -f bench/peers_plpython.sql >/dev/null
for t in xero_fdw python plpython; do
    sql -c "CREATE TABLE landed_$t (invoice_id uuid, invoice_number text, type text, status text, contact_id uuid, date date,
                                    total numeric, amount_due numeric, line_items jsonb)"
done

# run METHOD N: lands N invoices into landed_METHOD; prints "seconds calls max_in_flight".
run() {
    local method=$1 n=$2 pages=$(( ($2 + 999) / 1000 )) t0 t1
    sql -c "TRUNCATE landed_$method"
    admin POST reset >/dev/null
    [ "$latency" = 0 ] || admin POST faults "{\"label\":\"Invoices\",\"latency_ms\":$latency}" >/dev/null
    t0=$(date +%s.%N)
    case $method in
        xero_fdw) sql -c "INSERT INTO landed_xero_fdw SELECT invoice_id, invoice_number, type, status, contact_id, date, total, amount_due, line_items
                          FROM xero_invoices('bench', max_pages => $pages)" ;;
        python) python3 bench/peers_etl.py "$xero/api.xro/2.0" "$access_token" "$tenant" "$dsn" landed_python "$pages" ;;
        plpython) sql -c "SELECT land_invoices_plpython('$xero/api.xro/2.0', '$access_token', '$tenant', 'landed_plpython', $pages)" >/dev/null ;;
    esac
    t1=$(date +%s.%N)
    echo "$(python3 -c "print(f'{$t1 - $t0:.3f}')") $(stat 's["requests"].get("Invoices", 0)') $(stat 's["max_in_flight"]')"
}

same() {
    sql -c "SELECT (SELECT count(*) FROM landed_$1) = (SELECT count(*) FROM landed_$2)
               AND NOT EXISTS (SELECT * FROM landed_$1 EXCEPT ALL SELECT * FROM landed_$2)
               AND NOT EXISTS (SELECT * FROM landed_$2 EXCEPT ALL SELECT * FROM landed_$1)"
}

latency=0
for m in xero_fdw python plpython; do run $m "${sizes[0]}" >/dev/null; done
rows=$(sql -c "SELECT count(*) FROM landed_xero_fdw")
[ "$(same xero_fdw python)" = t ] && [ "$(same xero_fdw plpython)" = t ] \
    || { echo "the three ways did not land identical rows (${sizes[0]} invoices)"; exit 1; }
echo "All three land identical rows ($rows invoices, compared column by column)."
echo "Landing invoices from the bundled Xero server into a local table: $(nproc) cores shared by PostgreSQL, the server and the client"
printf '%9s %8s %-9s %8s %10s %6s %9s %8s %8s\n' latency invoices method seconds rows/s calls in_flight vs_fdw floor_x
declare -A decode
for latency in "${latencies[@]}"; do
    for n in "${sizes[@]}"; do
        pages=$(( (n + 999) / 1000 ))
        for m in xero_fdw python plpython; do
            read -r secs calls inflight < <(run "$m" "$n")
            [ "$m" = xero_fdw ] && fdw=$secs
            [ "$m" = xero_fdw ] && [ "$latency" = 0 ] && decode[$n]=$secs
            # The floor: ⌈pages/5⌉ latencies (five in flight) plus xero_fdw's own time without latency.
            floor=$(python3 -c "import math; print(math.ceil($pages / 5) * $latency / 1000 + ${decode[$n]})")
            printf '%7sms %8s %-9s %8s %10s %6s %9s %7sx %7sx\n' "$latency" "$n" "$m" "$secs" \
                "$(python3 -c "print(round($n / $secs))")" "$calls" "$inflight" \
                "$(python3 -c "print(f'{$secs / $fdw:.2f}')")" "$(python3 -c "print(f'{$secs / $floor:.2f}')")"
        done
    done
done
echo "vs_fdw: seconds relative to xero_fdw (2.00x = twice as long); floor_x: seconds relative to"
echo "⌈pages/5⌉ × latency + xero_fdw's own time at 0 ms; in_flight: most Invoices calls in flight at once (server's count)."
