#!/usr/bin/env bash
# external/web_ui_chromium: `kqlite serve` on a free port over generated data (the demo generator's output), driven
# by headless Chromium through puppeteer-core (tests/e2e/web_ui_chromium.cjs). Skips (77) only when chromium, node
# or the npm packages (scripts/web_deps.sh) are unavailable. With KQL_UPDATE_SCREENSHOTS=1 the screenshots replace
# docs/screenshots/*.png; otherwise they go to a temporary folder.
# Usage: web_ui_chromium.sh <kqlite binary> <source dir> <build dir>
set -u
KQLITE="$1"
SOURCE_DIR="$2"
BUILD_DIR="$3"
source "$(dirname "$0")/e2e_common.sh"
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
if [ -z "$CHROMIUM" ]; then echo "SKIP: chromium is not installed (apt-get install chromium)"; exit 77; fi
if ! command -v node >/dev/null; then echo "SKIP: node is not installed"; exit 77; fi
if [ ! -d "$BUILD_DIR/web/node_modules/puppeteer-core" ] || [ ! -f "$BUILD_DIR/web/assets/vs/loader.js" ]; then
  if command -v npm >/dev/null; then
    bash "$SOURCE_DIR/scripts/web_deps.sh" "$BUILD_DIR/web"
  fi
  if [ ! -d "$BUILD_DIR/web/node_modules/puppeteer-core" ]; then
    echo "SKIP: the npm packages are not installed (npm unavailable or offline; scripts/web_deps.sh)"
    exit 77
  fi
fi
export CHROMIUM
python3 "$SOURCE_DIR/scripts/gen_demo_data.py" "$WORK/DeviceNetworkEvents.jsonl" >/dev/null
# --schema and --functions: a declared table and stored functions for the editor's catalog.
workspace="$SOURCE_DIR/tests/data/functions/workspace.kql"
"$KQLITE" serve --data "$WORK/DeviceNetworkEvents.jsonl" --port 0 --schema "$workspace" --functions "$workspace" \
  >"$WORK/serve.out" 2>"$WORK/serve.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do
  grep -q 'http://127.0.0.1:' "$WORK/serve.out" && break
  sleep 0.1
done
url="$(grep -o 'http://127.0.0.1:[0-9]*/' "$WORK/serve.out")"
[ -n "$url" ] || { echo "FAIL: kqlite serve did not start: $(cat "$WORK/serve.err")"; exit 1; }
"$KQLITE" query --data "$WORK/DeviceNetworkEvents.jsonl" --chart "$WORK/chart.html" \
  'DeviceNetworkEvents | summarize count() by bin(Timestamp, 1d), ActionType | render columnchart with (kind=stacked)' \
  >/dev/null || fail "--chart failed"
shots="$WORK/shots"
[ "${KQL_UPDATE_SCREENSHOTS:-0}" = 1 ] && shots="$SOURCE_DIR/docs/screenshots"
mkdir -p "$shots"
node "$SOURCE_DIR/tests/e2e/web_ui_chromium.cjs" "$BUILD_DIR" "$url" "$WORK/chart.html" "$shots" || fail "browser test"
kill -INT $server
wait $server
code=$?
[ "$code" = 0 ] || fail "kqlite serve exited $code on Ctrl-C (expected 0)"
finish web_ui_chromium
