#!/usr/bin/env bash
# Benchmark: read N invoices with their line items through xero_invoices() from the bundled
# Xero server, and print invoice rows per second, the HTTP list calls made, and the backend's
# peak memory (VmHWM) for each N. Each N runs in a fresh session.
#   bench/invoices.sh [N ...]      default: 10000 100000 200000
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 200000)
largest=$(printf '%s\n' "${sizes[@]}" | sort -n | tail -1)

source scripts/bundled.sh
build_release
start_throwaway bench --tenants 1 --invoices "$largest" --contacts 500
admin() { curl -sf -X "$1" -H 'content-type: application/json' ${3:+-d "$3"} "$xero/__mock/$2"; }
sql() { psql -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d bench "$@"; }

bench_org

echo "xero_invoices() from the bundled server: $(nproc) cores, server holds $largest invoices"
printf '%10s %10s %10s %9s %14s %8s %9s %14s\n' invoices rows lines seconds rows/second calls expected peak_rss_MB
declare -A peak
for n in "${sizes[@]}"; do
    admin POST reset >/dev/null
    out=$(sql <<SQL
SELECT clock_timestamp() AS t0 \gset
SELECT count(*), sum(jsonb_array_length(line_items)) FROM xero_invoices('bench', max_pages => ceil($n / 1000.0)::int) \gset r_
SELECT :r_count, :r_sum, round(extract(epoch FROM clock_timestamp() - :'t0')::numeric, 3),
       (regexp_match(pg_read_file('/proc/' || pg_backend_pid() || '/status'), 'VmHWM:\s+(\d+)'))[1]::bigint / 1024
SQL
)
    IFS='|' read -r rows lines secs hwm <<<"$out"
    calls=$(admin GET stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"].get("Invoices", 0))')
    expected=$(( (n + 999) / 1000 ))
    rate=$(python3 -c "print(round($rows / $secs))")
    peak[$n]=$hwm
    printf '%10s %10s %10s %9s %14s %8s %9s %14s\n' "$n" "$rows" "$lines" "$secs" "$rate" "$calls" "$expected" "$hwm"
done
smallest=$(printf '%s\n' "${sizes[@]}" | sort -n | head -1)
echo "peak memory grows by $(( ${peak[$largest]} - ${peak[$smallest]} )) MB from $smallest to $largest invoices"
