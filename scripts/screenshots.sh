#!/usr/bin/env bash
# `make screenshots`: demo data in a throw-away data directory, `birlik serve` on a free port
# and the worker (scripts/demo-server.sh), scripts/screenshots.py against it, then the server
# is stopped (also on failure).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh

demo_server_start screenshots --worker  # the import's check runs in the background
"$BIN/python" scripts/screenshots.py --base-url "$DEMO_BASE_URL"
