#!/usr/bin/env bash
# Coverage-guided fuzzing of every decoder (libFuzzer, with AddressSanitizer).
#
#   Scripts/fuzz.sh SECONDS [TARGET…]
#
# Builds zhucan-fuzz with -sanitize=fuzzer,address into .build-fuzz, then runs each target
# (all by default) for SECONDS on its committed corpus (Fuzz/Corpus/<target>), the valid
# objects `zhucan-fuzz seed` makes and seeds from the external vectors ($ZHUCAN_VECTORS).
# New inputs go to .build-fuzz/corpus/<target>, never to the repository: `make fuzz-merge`
# minimises them into the committed corpus when that is wanted. A crash, hang (10 s), leak
# or violated property is saved as .build-fuzz/artifacts/<target>-crash-…; the script
# prints a table — target, executions, coverage, corpus, crashes — and fails if any crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: Scripts/fuzz.sh SECONDS [TARGET…]}"
shift
swift="${SWIFT:-swift}"
scratch=.build-fuzz
vectors="${ZHUCAN_VECTORS:-../shared/vectors}"

# The sanitizer build in a folder of its own; the plain one (for `seed` and `list`) in .build.
# swiftc keeps only the last -sanitize= it is given, and SwiftPM passes its `--sanitize`
# values in either order, so `--sanitize=fuzzer --sanitize=address` built either the coverage
# instrumentation or AddressSanitizer, never both. SwiftPM still needs to know about libFuzzer
# (it owns `main`); the comma-joined flag after SwiftPM's own gives swiftc both.
"$swift" build --scratch-path "$scratch" --product zhucan-fuzz \
    --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address -Xswiftc -DZHUCAN_LIBFUZZER >&2
fuzzer="$("$swift" build --scratch-path "$scratch" --show-bin-path)/zhucan-fuzz"
"$swift" build --product zhucan-fuzz >&2
plain="$("$swift" build --show-bin-path)/zhucan-fuzz"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <("$plain" list | cut -f1)

seeds="$scratch/seeds"
rm -rf "$seeds"
"$plain" seed "$seeds"
# FUZZ_VECTORS=0 leaves the external vectors out: a corpus meant for the repository must not
# carry their bytes (make fuzz-merge).
[ "${FUZZ_VECTORS:-1}" = 0 ] || python3 Scripts/fuzz-seeds.py "$vectors" "$seeds"
mkdir -p "$scratch/artifacts" "$scratch/logs"

status=0
printf '%-14s %14s %10s %10s %8s %8s\n' target executions exec/s coverage corpus crashes
for target in "${targets[@]}"; do
    corpus="$scratch/corpus/$target"
    mkdir -p "$corpus" "Fuzz/Corpus/$target" "$seeds/$target"
    log="$scratch/logs/$target.log"
    touch "$log.start"
    set +e
    ZHUCAN_FUZZ_TARGET="$target" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
        LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0" "$fuzzer" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$scratch/artifacts/$target-" \
        "$corpus" "Fuzz/Corpus/$target" "$seeds/$target" >"$log" 2>&1
    result=$?
    set -e
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1) || true
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1) || true
    coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*') || true
    files=$(find "$corpus" -type f | wc -l)
    crashes=$(find "$scratch/artifacts" -name "$target-*" -newer "$log.start" | wc -l)
    if [ "$result" -ne 0 ]; then
        crashes=$((crashes > 0 ? crashes : 1))
        status=1
        echo "*** $target: libFuzzer exited $result; see $log" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|artifact' "$log" | head -5 >&2 || true
    fi
    printf '%-14s %14s %10s %10s %8s %8s\n' "$target" "${executions:-0}" "${rate:-0}" "${coverage:-0}" "$files" "$crashes"
done
exit $status
