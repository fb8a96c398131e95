#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server, for the tests of the service's
# PostgreSQL store (make test).
#
#   Scripts/with-postgres.sh COMMAND [ARGUMENT…]
#
# initdb makes a cluster in a new temporary folder; the server listens on 127.0.0.1 on a
# free port (and on a Unix socket in the same folder), with trust authentication for the
# user `zhucan`. The command runs with
#
#   ZHUCAN_TEST_POSTGRES_URL=postgres://zhucan@127.0.0.1:PORT/zhucan?sslmode=disable
#
# and the server is stopped and its folder removed when the command ends, whatever way it
# ends. Uses Debian's `postgresql` package (make test installs it). PostgreSQL refuses to
# run as root, so as root the server runs as the `postgres` user the package creates.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENT…]" >&2
    exit 2
fi

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "*** PostgreSQL not found under /usr/lib/postgresql (apt-get install postgresql): its tests are skipped ***" >&2
    exec "$@"
fi

folder=$(mktemp -d /tmp/zhucan-postgres.XXXXXX)
as_server=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$folder"
    as_server=(runuser -u postgres --)
fi
stop() {
    "${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$folder"
}
trap stop EXIT
trap "exit 130" INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_server[@]}" "$bin/initdb" -D "$folder/data" -U zhucan -A trust -E UTF8 --no-locale >"$folder/initdb.log" 2>&1 \
    || { cat "$folder/initdb.log" >&2; exit 1; }
"${as_server[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -t 60 \
    -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || { cat "$folder/server.log" >&2; exit 1; }
"${as_server[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U zhucan zhucan

export ZHUCAN_TEST_POSTGRES_URL="postgres://zhucan@127.0.0.1:$port/zhucan?sslmode=disable"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests at $ZHUCAN_TEST_POSTGRES_URL"
set +e
"$@"
status=$?
exit $status
