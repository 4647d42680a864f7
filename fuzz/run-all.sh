#!/usr/bin/env bash
# Runs every fuzz target for SECONDS_PER_TARGET seconds (default 60), one after the other, and
# prints per target the time run, the executions and whether it crashed. Exits non-zero if any
# target crashed (the input is kept under fuzz/artifacts/<target>/).
#
#   fuzz/run-all.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Environment: SANITIZER (address by default; "none" builds without one), NICE (10 by default),
# RSS_LIMIT_MB (2048 by default). Works on a stable toolchain: RUSTC_BOOTSTRAP=1 lets stable
# rustc accept the -Z flags cargo-fuzz passes.
set -uo pipefail
cd "$(dirname "$0")"
export RUSTC_BOOTSTRAP=1
SECONDS_PER_TARGET=${1:-60}
shift || true
SANITIZER=${SANITIZER:-address}
NICE=${NICE:-10}
RSS_LIMIT_MB=${RSS_LIMIT_MB:-2048}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz…"
    cargo install --locked cargo-fuzz || exit 2
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

echo "building ${#targets[@]} targets (sanitizer: $SANITIZER)…"
nice -n "$NICE" cargo fuzz build -s "$SANITIZER" || exit 2

mkdir -p target/run-all
failed=0
summary=()
for t in "${targets[@]}"; do
    log="target/run-all/$t.log"
    mkdir -p "corpus/$t"
    start=$(date +%s)
    nice -n "$NICE" cargo fuzz run -s "$SANITIZER" "$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb="$RSS_LIMIT_MB" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    took=$(( $(date +%s) - start ))
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    [ -z "$execs" ] && execs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
    cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
    if [ $rc -eq 0 ]; then
        verdict="ok"
    else
        verdict="CRASHED (exit $rc): $(grep -m1 -oE 'artifacts/[^ ]+' "$log" || echo "see $log")"
        failed=1
    fi
    line=$(printf '%-20s %6ss %12s execs  cov %-6s %s' "$t" "$took" "${execs:-?}" "${cov:-?}" "$verdict")
    echo "$line"
    summary+=("$line")
done

echo
echo "summary (${SECONDS_PER_TARGET}s per target, logs in fuzz/target/run-all/):"
printf '%s\n' "${summary[@]}"
exit $failed
