#!/usr/bin/env bash
# make bench-http: the verification service under wrk on loopback, beside baselines measured
# in the same run.
#
#   Scripts/bench-http.sh BIN_DIR
#
# BIN_DIR holds the release `zhucan` and `zhucan-bench`. For each algorithm (SM2, ES256) it
# makes a demo workspace with one certificate, a one-hour identity code and a verify key,
# starts `zhucan serve` on a free port, checks that the code verifies, then runs wrk
# (keep-alive) against POST /v1/verify with that code — and, on the SM2 server, against
# GET /healthz, the trivial endpoint; then starts `zhucan verifier serve` beside it and runs
# wrk against the node's POST /v1/verify with the same code. Last, `zhucan-bench codes` verifies the same codes in
# process (one thread, then one per core), and `zhucan-bench signing` measures the signature
# alone on one core. Every wrk run also reports the server's CPU time per request (user +
# system, from /proc/PID/stat), so that what a verification costs beyond /healthz is read
# directly rather than through the rate, which wrk's share of the cores blurs.
#
# Environment: DURATION (30s), THREADS (2), CONNECTIONS (32), LOG_LEVEL (info: the service
# logs one line per request, as in production; the log goes to a file).
set -euo pipefail

bin=${1:?usage: bench-http.sh BIN_DIR}
zhucan="$bin/zhucan"
duration=${DURATION:-30s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
log_level=${LOG_LEVEL:-info}
root=$(pwd)
work="$root/.bench/http"
rm -rf "$work"
mkdir -p "$work"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# wait_for_port LOG PID: the port `zhucan serve` logs ("listening on 127.0.0.1:PORT").
wait_for_port() {
    local log=$1 pid=$2 port=""
    for _ in $(seq 1 300); do
        port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$log" | head -n 1)
        [ -n "$port" ] && { echo "$port"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "zhucan serve did not start:" >&2
    cat "$log" >&2
    return 1
}

# cpu_ticks PID: the user and system CPU time a process has used, in clock ticks (proc(5)).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

# run_wrk NAME URL [BODY_FILE KEY [RATE]]: runs wrk against the server $server_pid and keeps its
# ZHUCAN_RESULT line in $work/NAME.result, with the server's CPU time per answered request
# (user + system, µs) appended as cpu_us.
run_wrk() {
    local name=$1 url=$2 body=${3:-} key=${4:-} rate=${5:-} before after requests
    echo "-- wrk -t$threads -c$connections -d$duration $url ($name${rate:+, offered $rate requests/s})"
    before=$(cpu_ticks "$server_pid")
    ZHUCAN_BODY_FILE="$body" ZHUCAN_KEY="$key" ZHUCAN_RATE="$rate" ZHUCAN_CONNECTIONS="$connections" \
        wrk -t"$threads" -c"$connections" -d"$duration" --latency -s "$root/Benchmarks/http.lua" "$url" | tee "$work/$name.out"
    after=$(cpu_ticks "$server_pid")
    requests=$(sed -n 's/^ZHUCAN_RESULT requests=\([0-9]*\).*/\1/p' "$work/$name.out")
    printf '%s cpu_us=%s\n' "$(grep '^ZHUCAN_RESULT' "$work/$name.out")" \
        "$(awk -v t=$((after - before)) -v r="$requests" -v hz="$ticks_per_second" 'BEGIN { if (r > 0) printf "%.0f", t * 1e6 / hz / r; else print "-" }')" \
        > "$work/$name.result"
}

for algorithm in sm2 es256; do
    dir="$work/$algorithm"
    "$zhucan" init --demo --algorithm "$algorithm" --dir "$dir" > /dev/null
    "$zhucan" issue --dir "$dir" --name 王小明 --id-number 360121197011210013 --category 4 --level 3 --region 330482 > /dev/null
    code=$("$zhucan" code identity --dir "$dir" --certificate 36012119701121001343 --show-category --ttl 3600)
    printf '{"code": "%s"}' "$code" > "$dir/verify.json"
    printf '%s' "$code" > "$dir/code.txt"
    key=$("$zhucan" apikey create --dir "$dir" --name bench --scope verify 2> /dev/null)

    "$zhucan" serve --dir "$dir" --port 0 --rate-limit 1000000000 --log-level "$log_level" 2> "$dir/serve.log" &
    pid=$!
    pids+=("$pid")
    server_pid=$pid
    port=$(wait_for_port "$dir/serve.log" "$pid")
    base="http://127.0.0.1:$port"

    answer=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary @"$dir/verify.json" "$base/v1/verify")
    case "$answer" in
        *'"valid":true'*) echo "== $algorithm: the code verifies over HTTP ($base)" ;;
        *) echo "the $algorithm code does not verify: $answer" >&2; exit 1 ;;
    esac

    if [ "$algorithm" = sm2 ]; then run_wrk healthz "$base/healthz"; fi
    run_wrk "verify-$algorithm" "$base/v1/verify" "$dir/verify.json" "$key"
    # The latency a verifier sees below saturation: 80% of the peak just measured. wrk's paced
    # connections fall short of the rate they are offered, so each run after the first offers
    # more by the last shortfall; the last run is the one reported.
    peak=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' "$work/verify-$algorithm.result")
    target=$((peak * 8 / 10))
    offered=$target
    for _ in 1 2 3; do
        run_wrk "verify-$algorithm-80" "$base/v1/verify" "$dir/verify.json" "$key" "$offered"
        achieved=$(sed -n 's/.* rps=\([0-9]*\).*/\1/p' "$work/verify-$algorithm-80.result")
        offered=$((offered * target / (achieved > 0 ? achieved : 1)))
    done
    # A verification node beside the issuer (public material only, its own SQLite store):
    # the same code through the node, against the issuer's rate just measured.
    node_key=$("$zhucan" verifier apikey create --state-dir "$dir/node" --name bench --scope verify 2> /dev/null | tail -n 1)
    "$zhucan" verifier serve --issuer "$base" --trust-anchor "$dir/keys/root.pub.pem" --state-dir "$dir/node" --port 0 \
        --rate-limit 1000000000 --log-level "$log_level" 2> "$dir/node.log" &
    node_pid=$!
    pids+=("$node_pid")
    server_pid=$node_pid
    node_port=$(wait_for_port "$dir/node.log" "$node_pid")
    node_base="http://127.0.0.1:$node_port"
    for _ in $(seq 1 100); do curl -sf "$node_base/readyz" > /dev/null && break; sleep 0.1; done
    answer=$(curl -sf -H "Authorization: Bearer $node_key" -H 'Content-Type: application/json' --data-binary @"$dir/verify.json" "$node_base/v1/verify")
    case "$answer" in
        *'"valid":true'*) echo "== $algorithm: the code verifies through a node ($node_base)" ;;
        *) echo "the $algorithm code does not verify through the node: $answer" >&2; exit 1 ;;
    esac
    run_wrk "verify-$algorithm-node" "$node_base/v1/verify" "$dir/verify.json" "$node_key"
    ps -o rss= -p "$node_pid" | tr -d ' ' > "$dir/node-rss"
    kill -TERM "$node_pid"
    wait "$node_pid" || true

    # Resident memory after the load, kB.
    ps -o rss= -p "$pid" | tr -d ' ' > "$dir/rss"
    kill -TERM "$pid"
    wait "$pid" || true
done

echo "-- zhucan-bench codes (the same codes verified in process, as the service does, without HTTP)"
for algorithm in sm2 es256; do
    "$bin/zhucan-bench" codes --dir "$work/$algorithm" --code-file "$work/$algorithm/code.txt" --algorithm "$algorithm" \
        --seconds 2 --rounds 3 | tee "$work/codes-$algorithm.out"
done
echo "-- zhucan-bench signing (the signature alone, one core, in process)"
"$bin/zhucan-bench" signing --seconds 2 --rounds 3 | tee "$work/signing.out"
echo "-- zhucan-bench sizes (each code's characters and QR version, version 1 beside compact)"
"$bin/zhucan-bench" sizes > "$work/sizes.out"

# field NAME KEY: a value from a ZHUCAN_RESULT line.
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" "$work/$1.result"; }
# verify_rate ALGORITHM: zhucan's one-core verify/s from the signing table.
verify_rate() { awk -F'|' -v a="$1" '$2 ~ " "a" " && $3 ~ "verify" { gsub(/ /, "", $4); print $4 }' "$work/signing.out"; }
# in_process_rate ALGORITHM: zhucan-bench codes' verifications/s on one thread per core.
in_process_rate() { awk -F'|' '{ split($4, a, " "); print a[1] }' "$work/codes-$1.out"; }

cores=$(nproc)
echo
echo "HTTP on loopback: wrk -t$threads -c$connections -d$duration, keep-alive, release build, $cores cores shared by wrk and the server, log level $log_level"
echo
echo "| request | requests/s | server CPU µs per request | p50 ms | p90 ms | p99 ms | max ms | socket errors | non-2xx | server RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
row() {
    local label=$1 name=$2 rss_kb=$3
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(field "$name" rps)" "$(field "$name" cpu_us)" \
        "$(field "$name" p50_ms)" "$(field "$name" p90_ms)" "$(field "$name" p99_ms)" "$(field "$name" max_ms)" \
        "$(field "$name" errors)" "$(field "$name" non2xx)" "$((rss_kb / 1024))"
}
row "GET /healthz (SM2 server)" healthz "$(cat "$work/sm2/rss")"
row "POST /v1/verify, SM2 identity code" verify-sm2 "$(cat "$work/sm2/rss")"
row "POST /v1/verify, ES256 identity code" verify-es256 "$(cat "$work/es256/rss")"
row "POST /v1/verify, SM2, through a verification node" verify-sm2-node "$(cat "$work/sm2/node-rss")"
row "POST /v1/verify, ES256, through a verification node" verify-es256-node "$(cat "$work/es256/node-rss")"
# load ALGORITHM: the 80% run's rate as a share of the peak.
load() { awk -v a="$(field "verify-$1-80" rps)" -v p="$(field "verify-$1" rps)" 'BEGIN { if (p > 0) printf "%.0f%%", 100 * a / p }'; }
row "POST /v1/verify, SM2, at $(load sm2) of its peak (80% offered)" verify-sm2-80 "$(cat "$work/sm2/rss")"
row "POST /v1/verify, ES256, at $(load es256) of its peak (80% offered)" verify-es256-80 "$(cat "$work/es256/rss")"
echo
echo "In process: the same code verified as the service does (base45, zlib when the code has it, COSE, signature, status list), median of 3 rounds"
echo "of 2 s, on one thread and on one thread per core; and the signature alone on one core (zhucan-bench signing)."
echo
echo "| algorithm | HTTP verify requests/s | in process, one thread | HTTP ÷ one thread | in process, $cores threads | HTTP ÷ $cores threads | signature alone, one core |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
# share A B: A as a percentage of B.
share() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.0f%%", 100 * a / b; else print "-" }'; }
for algorithm in sm2 es256; do
    http=$(field "verify-$algorithm" rps)
    one=$(awk -F'|' '{ gsub(/ /, "", $3); print $3 }' "$work/codes-$algorithm.out")
    all=$(in_process_rate "$algorithm")
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$algorithm" "$http" "$one" "$(share "$http" "$one")" "$all" "$(share "$http" "$all")" \
        "$(verify_rate "$algorithm")"
done
echo
echo "Issue #16's figures, each beside its baseline from this run:"
echo
echo "| figure | measured | baseline | ratio |"
echo "| --- | ---: | ---: | ---: |"
for algorithm in sm2 es256; do
    http=$(field "verify-$algorithm" rps)
    printf '| POST /v1/verify %s ÷ GET /healthz | %s | %s | %s |\n' "$algorithm" "$http" "$(field healthz rps)" \
        "$(awk -v a="$http" -v b="$(field healthz rps)" 'BEGIN { if (b > 0) printf "%.2f", a / b }')"
    # What a verification adds to the trivial request, in the server's CPU: the verification
    # itself (in process, on as many threads as cores) and the rest of the request path.
    printf '| server CPU per POST /v1/verify %s − per GET /healthz (µs) | %s | %s (verification in process) | |\n' "$algorithm" \
        "$(awk -v v="$(field "verify-$algorithm" cpu_us)" -v h="$(field healthz cpu_us)" 'BEGIN { if (v != "-" && h != "-") print v - h; else print "-" }')" \
        "$(awk -v r="$(in_process_rate "$algorithm")" -v c="$cores" 'BEGIN { if (r > 0) printf "%.0f", c * 1e6 / r; else print "-" }')"
    one=$(awk -F'|' '{ gsub(/ /, "", $3); print $3 }' "$work/codes-$algorithm.out")
    raw=$(awk -F'|' '{ gsub(/ /, "", $5); print $5 }' "$work/codes-$algorithm.out")
    # The benchmark's own ratio: the median of its rounds' ratios, each of slices taken in turn.
    ratio=$(awk -F'|' '{ gsub(/ /, "", $6); print $6 }' "$work/codes-$algorithm.out")
    printf '| in-process verification %s ÷ raw verify, one thread | %s | %s | %s |\n' "$algorithm" "$one" "$raw" "$ratio"
    printf '| p99 of POST /v1/verify %s at 80%% of its peak | %s ms | (target < 10 ms) | |\n' "$algorithm" "$(field "verify-$algorithm-80" p99_ms)"
done
echo
cat "$work/sizes.out"
echo
echo "Each HTTP verification also records an event in SQLite (synchronous=FULL) and writes a log line."
