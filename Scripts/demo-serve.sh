#!/usr/bin/env bash
# The end of `make demo`: start the issuer's service on the demo workspace in the background,
# show ready-to-paste curl commands (running the first ones once), then start a verification
# node beside it (public material only) and verify the identity code through the node. Both
# keep running, their PIDs in DIR/serve.pid and DIR/node.pid.
#
#   Scripts/demo-serve.sh ZHUCAN DIR PORT    start (PORT taken: any free port)
#   Scripts/demo-serve.sh stop DIR           stop the service and node a demo left running
set -euo pipefail

if [ "${1:-}" = stop ]; then
    dir="${2:?usage: demo-serve.sh stop DIR}"
    for pidfile in "$dir/node.pid" "$dir/serve.pid"; do
    [ -f "$pidfile" ] || continue
        pid=$(cat "$pidfile")
        # Only a zhucan process: the PID may have been reused since.
        if kill -0 "$pid" 2>/dev/null && grep -q zhucan "/proc/$pid/cmdline" 2>/dev/null; then
            kill -TERM "$pid"
            # Graceful shutdown: wait (up to 10 s) until it has let go of its port.
            for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
            echo "stopped the demo's $(basename "$pidfile" .pid) (PID $pid)"
        fi
        rm -f "$pidfile"
    done
    exit 0
fi

zhucan=${1:?usage: demo-serve.sh ZHUCAN DIR PORT}
dir=${2:?usage: demo-serve.sh ZHUCAN DIR PORT}
port=${3:-8080}

# Something already listens on PORT: let the service pick a free one.
if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then
    echo "port $port is taken; the service picks a free one"
    port=0
fi

echo "\$ $zhucan serve --dir $dir --port $port 2> $dir/serve.log &"
nohup "$zhucan" serve --dir "$dir" --port "$port" > /dev/null 2> "$dir/serve.log" &
pid=$!
echo "$pid" > "$dir/serve.pid"

# Hummingbird logs "… listening on 127.0.0.1:PORT" once the socket is bound.
bound=""
for _ in $(seq 1 100); do
    bound=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/serve.log" | head -n 1)
    [ -n "$bound" ] && break
    kill -0 "$pid" 2> /dev/null || { cat "$dir/serve.log" >&2; rm -f "$dir/serve.pid"; exit 1; }
    sleep 0.1
done
[ -n "$bound" ] || { echo "the service did not start; see $dir/serve.log" >&2; exit 1; }
base="http://127.0.0.1:$bound"
echo "listening on $base (PID $pid, log $dir/serve.log)"

# Each command is printed as it can be pasted (from this folder), then run once.
run() {
    echo
    echo "\$ $1"
    bash -c "$1"
    echo
}
key='$(cat '"$dir"'/apikey.txt)'
auth="-H \"Authorization: Bearer $key\" -H 'Content-Type: application/json'"

run "curl -s $base/healthz"
run "curl -s $auth -d \"{\\\"code\\\": \\\"\$(cat $dir/identity.txt)\\\"}\" $base/v1/verify"
run "curl -s -D - $base/v1/trust-list"

echo
echo "== 10. The transparency log: the demo log's signed checkpoint, and an auditor's full check over HTTP (Docs/audit.md) =="
run "curl -s $base/v1/log/checkpoint"
run "$zhucan audit log --from $base --api-key $key --trust-anchor $dir/keys/root.pub.pem"

echo
echo "== 11. A verification node: it holds no private key, only the root public key and the issuer's URL (Docs/deployment.md) =="
# Verify only: a node with a store of its own would redeem a one-time code the issuer has
# already redeemed (every process answering /v1/redeem must share one store: Docs/deployment.md).
run "$zhucan verifier apikey create --state-dir $dir/node --name 'demo bus company' --scope verify > $dir/node-apikey.txt"
echo "\$ $zhucan verifier serve --issuer $base --trust-anchor $dir/keys/root.pub.pem --state-dir $dir/node --port 0 2> $dir/node.log &"
nohup "$zhucan" verifier serve --issuer "$base" --trust-anchor "$dir/keys/root.pub.pem" --state-dir "$dir/node" --port 0 \
    --refresh-seconds 5 > /dev/null 2> "$dir/node.log" &
node_pid=$!
echo "$node_pid" > "$dir/node.pid"
node_port=""
for _ in $(seq 1 100); do
    node_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$dir/node.log" | head -n 1)
    [ -n "$node_port" ] && break
    kill -0 "$node_pid" 2> /dev/null || { cat "$dir/node.log" >&2; rm -f "$dir/node.pid"; exit 1; }
    sleep 0.1
done
[ -n "$node_port" ] || { echo "the node did not start; see $dir/node.log" >&2; exit 1; }
node="http://127.0.0.1:$node_port"
# Ready once the trust list and status list are fetched and checked.
for _ in $(seq 1 100); do
    curl -sf "$node/readyz" > /dev/null && break
    sleep 0.1
done
echo "node listening on $node (PID $node_pid, log $dir/node.log)"
node_key='$(cat '"$dir"'/node-apikey.txt)'
run "curl -s $node/readyz"
run "curl -s -H \"Authorization: Bearer $node_key\" -H 'Content-Type: application/json' -d \"{\\\"code\\\": \\\"\$(cat $dir/identity.txt)\\\"}\" $node/v1/verify"
run "curl -s $node/metrics | grep zhucan_node_list"

echo
echo "== 12. The holder's page: a single-use enrolment link, as the service window prints it (Docs/pages.md) =="
run "$zhucan holder enroll --dir $dir --certificate 36012119701121001343 --base-url $base --png $dir/enrol.png 2> /dev/null"
echo "Open that link in a browser on this machine (or scan $dir/enrol.png): the page makes its device key and shows"
echo "the identity code as a QR code. The window's scan page is $base/window (API key: \$(cat $dir/apikey.txt))."

echo
echo "More (the identity code expires 5 minutes after step 4; mint a fresh one with the first line):"
echo "  curl -s $auth -d '{\"certificate\": \"36012119701121001343\", \"showCategory\": true}' $base/v1/codes/identity"
echo "  curl -s $auth -d \"{\\\"code\\\": \\\"\$(cat $dir/service.txt)\\\", \\\"service\\\": \\\"free-bus\\\"}\" $base/v1/redeem    # twice: already_redeemed"
echo "  curl -s -H \"Authorization: Bearer $key\" '$base/v1/holders/by-ssc/A12345678?purpose=demo'"
echo "  curl -s -H \"Authorization: Bearer $key\" $base/v1/stats"
echo "  curl -s $base/metrics"
echo "  $zhucan audit prove --dir $dir --certificate 36012119701121001343 --out proof.json && $zhucan audit check-proof proof.json"
echo "  The API: Docs/openapi.json"
echo
echo "The service and the node keep running (PIDs in $dir/serve.pid and $dir/node.pid). Stop them with:"
echo "  make demo-stop"
