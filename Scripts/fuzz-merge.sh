#!/usr/bin/env bash
# Minimises what `make fuzz` found (.build-fuzz/corpus/<target>) into the committed corpus
# (Fuzz/Corpus/<target>) with libFuzzer's -merge=1: only inputs that add edge coverage are kept,
# named by their SHA-1, at most 4 KiB each, so the committed corpus stays small. Run it after
# `FUZZ_VECTORS=0 make fuzz` on a fresh .build-fuzz/corpus: the external vectors' bytes, and
# inputs grown from them, stay out of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzzer="$(swift build --scratch-path .build-fuzz --show-bin-path)/zhucan-fuzz"
[ -x "$fuzzer" ] || { echo "run make fuzz first" >&2; exit 2; }
for found in .build-fuzz/corpus/*/; do
    target=$(basename "$found")
    mkdir -p "Fuzz/Corpus/$target"
    ZHUCAN_FUZZ_TARGET="$target" "$fuzzer" -merge=1 -use_counters=0 -use_cmp=0 -max_len=4096 "Fuzz/Corpus/$target" "$found" \
        >".build-fuzz/logs/$target.merge.log" 2>&1
    echo "$target: $(find "Fuzz/Corpus/$target" -type f | wc -l) inputs, $(du -sk "Fuzz/Corpus/$target" | cut -f1) KiB"
done
