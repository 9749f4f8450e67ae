#!/usr/bin/env bash
# Installs the npm package chdb (an in-process current ClickHouse) into BUILD_DIR/npm for the
# external/clickhouse_chdb_sql test. Nothing is committed; a second run reuses the installed copy.
# Usage: scripts/install_chdb.sh BUILD_DIR   (exit 77 when npm is missing or the install fails)
set -uo pipefail
build=${1:?usage: $0 BUILD_DIR}
prefix=$build/npm
if [ -f "$prefix/node_modules/chdb/package.json" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIP: npm/node not installed (apt-get install nodejs npm)"
  exit 77
fi
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error chdb >"$prefix/install.log" 2>&1; then
  echo "SKIP: npm install chdb failed (offline?); see $prefix/install.log"
  tail -n 5 "$prefix/install.log"
  exit 77
fi
