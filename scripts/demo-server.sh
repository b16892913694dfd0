# A throw-away demo server, sourced by scripts/screenshots.sh and scripts/lighthouse.sh:
# demo data in a fresh data directory, `birlik serve` (gunicorn + whitenoise, as in
# production) on a free loopback port, optionally the background worker; everything is stopped
# and the directory removed when the calling script exits (also on failure).
#
#   source scripts/demo-server.sh
#   demo_server_start NAME [--worker]   # sets DEMO_BASE_URL and DEMO_DATA_DIR
#
# The caller runs from the repository root with `set -euo pipefail`.

BIN=${BIN:-.venv/bin}
DEMO_DATA_DIR=""
DEMO_BASE_URL=""
_demo_pids=()

_demo_server_stop() {
    local pid
    for pid in "${_demo_pids[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid"
            wait "$pid" 2>/dev/null || true
        fi
    done
    if [ -n "$DEMO_DATA_DIR" ]; then
        rm -rf "$DEMO_DATA_DIR"
    fi
}

demo_server_start() {
    local name=$1 with_worker=${2:-}
    DEMO_DATA_DIR="$(mktemp -d -t "birlik-$name-XXXXXX")"
    trap _demo_server_stop EXIT

    export BIRLIK_DATA_DIR="$DEMO_DATA_DIR"
    export BIRLIK_REQUIRE_2FA=0  # the demo logins sign in with a password, as `birlik demo` does
    unset DATABASE_URL REDIS_URL
    echo "$name: preparing demo data in $DEMO_DATA_DIR…"
    "$BIN/birlik" demo --no-serve

    local port
    port="$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    echo "$name: starting birlik serve on 127.0.0.1:$port…"
    HOST=127.0.0.1 PORT="$port" WEB_WORKERS=${WEB_WORKERS:-1} \
        "$BIN/birlik" serve >"$DEMO_DATA_DIR/serve.log" 2>&1 &
    local server_pid=$!
    _demo_pids+=("$server_pid")
    if [ "$with_worker" = "--worker" ]; then
        "$BIN/birlik" worker >"$DEMO_DATA_DIR/worker.log" 2>&1 &
        _demo_pids+=("$!")
    fi

    DEMO_BASE_URL="http://127.0.0.1:$port"
    local _
    for _ in $(seq 1 60); do
        if "$BIN/python" -c "import urllib.request; urllib.request.urlopen('$DEMO_BASE_URL/health/', timeout=2)" 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "$name: the server stopped:" >&2
            cat "$DEMO_DATA_DIR/serve.log" >&2
            exit 1
        fi
        sleep 1
    done
    echo "$name: the server did not answer in 60 s:" >&2
    cat "$DEMO_DATA_DIR/serve.log" >&2
    exit 1
}
