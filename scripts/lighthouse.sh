#!/usr/bin/env bash
# `make lighthouse`: Lighthouse 12.2.3 (installed from the npm registry into .cache/lighthouse/,
# only here, never by the application) with Debian's chromium, against a throw-away demo server
# (scripts/demo-server.sh: `birlik serve`, gunicorn + whitenoise as in production). Prints the
# scores of each page and exits non-zero when one is under the bar; arguments go to
# scripts/lighthouse.py (--out DIR for the JSON reports, default .cache/lighthouse/reports).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
LIGHTHOUSE_VERSION=12.2.3
cache=.cache/lighthouse
lighthouse="$cache/node_modules/.bin/lighthouse"

command -v npm >/dev/null || { echo "lighthouse: npm is missing (apt-get install npm)." >&2; exit 1; }
CHROME_PATH="$(command -v chromium)" || {
    echo "lighthouse: Debian's chromium is missing: run scripts/setup-system." >&2; exit 1; }
export CHROME_PATH

installed="$(cd "$cache" 2>/dev/null && node -p 'require("lighthouse/package.json").version' 2>/dev/null || true)"
if [ "$installed" != "$LIGHTHOUSE_VERSION" ]; then
    echo "lighthouse: installing lighthouse@$LIGHTHOUSE_VERSION into $cache…"
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-audit --no-fund --loglevel=error \
        "lighthouse@$LIGHTHOUSE_VERSION"
fi

# shellcheck source=scripts/demo-server.sh
source scripts/demo-server.sh
demo_server_start lighthouse
"$BIN/python" scripts/lighthouse.py --base-url "$DEMO_BASE_URL" --lighthouse "$lighthouse" "$@"
