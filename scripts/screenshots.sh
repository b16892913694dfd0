#!/usr/bin/env bash
# `make screenshots`: demo data in a throw-away data directory, `birlik serve` on a free port,
# scripts/screenshots.py against it, then the server is stopped (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

data_dir="$(mktemp -d -t birlik-screenshots-XXXXXX)"
server_pid=""
worker_pid=""
cleanup() {
    for pid in "$server_pid" "$worker_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$data_dir"
}
trap cleanup EXIT

export BIRLIK_DATA_DIR="$data_dir"
export BIRLIK_REQUIRE_2FA=0  # the demo logins sign in with a password, as `birlik demo` does
unset DATABASE_URL REDIS_URL
echo "screenshots: preparing demo data in $data_dir…"
"$BIN/birlik" demo --no-serve

port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
echo "screenshots: starting birlik serve on 127.0.0.1:$port…"
HOST=127.0.0.1 PORT="$port" WEB_WORKERS=1 "$BIN/birlik" serve >"$data_dir/serve.log" 2>&1 &
server_pid=$!
"$BIN/birlik" worker >"$data_dir/worker.log" 2>&1 &  # the import's check runs in the background
worker_pid=$!

for _ in $(seq 1 60); do
    if "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/health/', timeout=2)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "screenshots: the server stopped:" >&2; cat "$data_dir/serve.log" >&2; exit 1
    fi
    sleep 1
done

"$BIN/python" scripts/screenshots.py --base-url "http://127.0.0.1:$port"
