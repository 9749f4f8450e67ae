#!/usr/bin/env bash
# Installs the npm packages of web/package.json (exact versions, web/package-lock.json) into DEST (default
# build/web) and lays out DEST/assets, the folder kqlite reads its chart and web UI scripts from:
#   assets/vega/{vega,vega-lite,vega-embed}.min.js   inlined into `kqlite query --chart` pages, served by `serve`
#   assets/vs/...                                    Monaco (AMD build), with the Kusto language in vs/language/kusto
#   assets/chart_svg.cjs                             draws a spec to SVG under node (`--chart FILE.svg`)
# DEST/node_modules also keeps puppeteer-core for the headless Chromium test (tests/e2e/web_ui_chromium.mjs).
# The CMake target web_assets runs this on every build; it returns at once when DEST is current. Without npm (or
# when npm fails) it warns and exits 0: kqlite builds, and --chart and the web UI editor say what is missing.
set -euo pipefail
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:-$source_dir/build/web}"
if ! command -v npm >/dev/null 2>&1; then
  echo "web_deps: npm not found: charts (--chart) and the web UI's editor need it (install Node.js and npm)" >&2
  exit 0
fi
mkdir -p "$dest"
dest="$(cd "$dest" && pwd)"
stamp="$dest/.installed"
want="$(cat "$source_dir/web/package.json" "$source_dir/web/package-lock.json" "$source_dir/web/chart_svg.cjs" |
  sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$dest/assets/vega/vega.min.js" ] \
  && [ -f "$dest/assets/vs/loader.js" ]; then
  exit 0
fi
cp "$source_dir/web/package.json" "$source_dir/web/package-lock.json" "$dest/"
echo "web_deps: installing npm packages into $dest"
if ! (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error); then
  echo "web_deps: npm ci failed: charts (--chart) and the web UI's editor are unavailable in this build" >&2
  exit 0
fi
modules="$dest/node_modules"
rm -rf "$dest/assets.tmp"
mkdir -p "$dest/assets.tmp/vega" "$dest/assets.tmp/vs"
cp "$modules/vega/build/vega.min.js" "$modules/vega-lite/build/vega-lite.min.js" \
  "$modules/vega-embed/build/vega-embed.min.js" "$dest/assets.tmp/vega/"
# Monaco's AMD files without its other languages, then the Kusto language (what the package's copyMonacoFilesAMD
# lays out).
cp -r "$modules/monaco-editor/min/vs/." "$dest/assets.tmp/vs/"
rm -rf "$dest/assets.tmp/vs/basic-languages" "$dest/assets.tmp/vs/language"
mkdir -p "$dest/assets.tmp/vs/language/kusto"
cp -r "$modules/@kusto/monaco-kusto/release/min/." "$dest/assets.tmp/vs/language/kusto/"
find "$dest/assets.tmp" -name '*.d.ts' -delete
cp "$source_dir/web/chart_svg.cjs" "$dest/assets.tmp/"  # --chart FILE.svg runs it with node
rm -rf "$dest/assets"
mv "$dest/assets.tmp" "$dest/assets"
echo "$want" > "$stamp"
echo "web_deps: assets in $dest/assets"
