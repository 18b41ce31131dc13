#!/usr/bin/env bash
# Run every fuzz target for a fixed number of executions, one after another, and print
# executions and crashes per target. Exits non-zero if any target crashed (a panic, a
# failed property, a timeout or an out-of-memory), leaving the input in fuzz/artifacts/.
#
# Usage: fuzz/run.sh [RUNS_PER_TARGET] [TARGET...]
#   RUNS_PER_TARGET  libFuzzer -runs for each target (default 1200000: 9 targets, 10.8 M)
#   TARGET...        a subset of the targets (default: all)
# Environment:
#   FUZZ_MAX_TIME    safety cap in seconds per target (-max_total_time; default 3600)
#   FUZZ_SANITIZER   cargo fuzz --sanitizer (default address: catches huge allocations)
#   FUZZ_TARGET_DIR  nightly build directory (default fuzz/target, as `cargo fuzz run` uses)
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). Seeds are real
# objects written by the `seeds` binary into fuzz/corpus/<target>/, where libFuzzer also
# keeps what it finds (not committed). Reproduce a crash with
#   cargo +nightly fuzz run --features libfuzzer <target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-1200000}"
shift || true
all_targets=(envelope body invite cap cap_export sync fetch config api)
targets=("${@:-${all_targets[@]}}")
max_time="${FUZZ_MAX_TIME:-3600}"
sanitizer="${FUZZ_SANITIZER:-address}"
target_dir="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
triple="$(rustc +nightly -vV | sed -n 's/^host: //p')"
bin="$target_dir/$triple/release"

cargo +nightly fuzz build --features libfuzzer --sanitizer "$sanitizer" --target-dir "$target_dir"
"$bin/seeds" fuzz/corpus >/dev/null

logs="fuzz/artifacts/logs"
mkdir -p "$logs"
rows=()
total_execs=0
total_crashes=0
for t in "${targets[@]}"; do
    mkdir -p "fuzz/artifacts/$t"
    before=$(find "fuzz/artifacts/$t" -maxdepth 1 -type f | wc -l)
    start=$(date +%s)
    # -timeout: one input taking 30 s on this code is a hang, not a slow machine.
    # -malloc_limit_mb: one allocation over 512 MiB from one input is unbounded growth.
    set +e
    "$bin/$t" "fuzz/corpus/$t" \
        -runs="$runs" -max_total_time="$max_time" -timeout=30 \
        -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 \
        -artifact_prefix="fuzz/artifacts/$t/" >"$logs/$t.log" 2>&1
    rc=$?
    set -e
    secs=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
    execs=${execs:-0}
    crashes=$(($(find "fuzz/artifacts/$t" -maxdepth 1 -type f | wc -l) - before))
    if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then
        crashes=1 # failed without leaving an input (e.g. in its fixtures): see the log
    fi
    note=""
    if [ "$crashes" -ne 0 ]; then
        note="see $logs/$t.log"
    elif [ "$execs" -lt "$runs" ]; then
        note="stopped by the ${max_time} s cap"
    fi
    rows+=("$(printf '| %-10s | %12s | %8s | %7s | %7s | %s' "$t" "$execs" \
        "$((execs / (secs > 0 ? secs : 1)))" "$secs" "$crashes" "$note")")
    total_execs=$((total_execs + execs))
    total_crashes=$((total_crashes + crashes))
    echo "fuzz: $t: $execs executions, $crashes crashes, $secs s" >&2
done

echo "| target     |   executions |   exec/s | seconds | crashes | note"
echo "|------------|-------------:|---------:|--------:|--------:|------"
printf '%s\n' "${rows[@]}"
printf '| %-10s | %12s | %8s | %7s | %7s |\n' "total" "$total_execs" "" "" "$total_crashes"
[ "$total_crashes" -eq 0 ]
