#!/usr/bin/env bash
# End-to-end benchmark: kqlite vs DuckDB on the same generated DeviceNetworkEvents JSON-lines file (default
# 1,000,000 rows, ~1.9 GB), 1 and 2 threads, for three queries:
#   seed       the seed hunting rule (selective: the raw-bytes prefilter skips almost every record)
#   port       DeviceNetworkEvents | summarize count() by RemotePort          (parses every record)
#   microsoft  | where RemoteUrl has "microsoft" | summarize dcount(DeviceId)  (parses most records)
# Each round runs every (engine, threads) pair once, interleaved, so both engines see the same machine load; the
# script prints, per pair, the median over RUNS rounds of wall seconds and of CPU seconds (user+sys, the steadier
# number on a shared machine), MB/s and rows/s, and kqlite's speed-up. kqlite's seed answer is checked against the
# generator's expected group count. Not part of the test suite.
# Usage: bench/e2e_seed.sh [ROWS] [RUNS] [QUERIES...]
#   env: KQLITE_BIN (default build/kqlite), KQLITE_DUCKDB_DIR (dir with node_modules/@duckdb/node-api),
#        KQLITE_BENCH_DIR (data dir, default bench/data)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
QUERIES=${*:-seed port microsoft}
NOW=2026-01-01T00:00:00Z
DATA_DIR=${KQLITE_BENCH_DIR:-bench/data}
KQLITE=${KQLITE_BIN:-build/kqlite}
GEN=../shared/tools/gen_devicenetworkevents.py
FILE=$DATA_DIR/DeviceNetworkEvents_${ROWS}.jsonl
mkdir -p "$DATA_DIR"
[ -x "$KQLITE" ] || bash scripts/build.sh
if [ ! -f "$FILE" ]; then
  echo "generating $ROWS rows into $FILE ..."
  python3 "$GEN" --rows "$ROWS" --out "$FILE" --now "$NOW" --jobs 2 >/dev/null
fi
SIZE_MB=$(( $(stat -c %s "$FILE") / 1000000 ))

kql_text() {
  case $1 in
    seed) cat bench/seed_rule.kql ;;
    port) echo 'DeviceNetworkEvents | summarize count() by RemotePort' ;;
    microsoft) echo 'DeviceNetworkEvents | where RemoteUrl has "microsoft" | summarize dcount(DeviceId)' ;;
  esac
}

DUCK_DIR=${KQLITE_DUCKDB_DIR:-bench/.duckdb}
HAVE_DUCK=0
if command -v node >/dev/null && { [ -d "$DUCK_DIR/node_modules/@duckdb/node-api" ] || { command -v npm >/dev/null &&
    (mkdir -p "$DUCK_DIR" && cd "$DUCK_DIR" && npm init -y >/dev/null && npm install @duckdb/node-api >/dev/null 2>&1); }; }; then
  HAVE_DUCK=1
  DUCK_SCRIPT=$(mktemp "$DUCK_DIR/duckdb_seed.XXXXXX.mjs")
  cp bench/duckdb_seed.mjs "$DUCK_SCRIPT"
  trap 'rm -f "$DUCK_SCRIPT"' EXIT
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
TIMES=$(mktemp -d)
trap 'rm -rf "$TIMES"; [ -n "${DUCK_SCRIPT:-}" ] && rm -f "$DUCK_SCRIPT"' EXIT
# Runs a command, appending "wall cpu" to $TIMES/$1.
timed() {
  local key=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$TIMES/last" "$@" >"$TIMES/out.$key" 2>/dev/null
  awk '{printf "%.3f %.3f\n", $1, $2 + $3}' "$TIMES/last" >>"$TIMES/$key"
}

cat "$FILE" >/dev/null  # warm the page cache
echo "file=$FILE rows=$ROWS size=${SIZE_MB}MB runs=$RUNS kqlite=$KQLITE"
for query in $QUERIES; do
  text=$(kql_text "$query")
  for _ in $(seq "$RUNS"); do
    for threads in 1 2; do
      timed "kqlite.$query.$threads" "$KQLITE" query "$text" --table DeviceNetworkEvents="$FILE" --now "$NOW" \
        --threads "$threads" --format jsonl
      if [ "$HAVE_DUCK" = 1 ]; then
        timed "duckdb.$query.$threads" node "$DUCK_SCRIPT" "$PWD/$FILE" "${NOW%Z}" "$threads" "$query"
      fi
    done
  done
  if [ "$query" = seed ] && [ -f "$FILE.expected.json" ]; then
    groups=$(wc -l <"$TIMES/out.kqlite.seed.1")
    expected=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['result_groups'])" "$FILE.expected.json")
    echo "seed: kqlite groups=$groups expected=$expected $([ "$groups" = "$expected" ] && echo OK || echo MISMATCH)"
  fi
  printf '%-10s %-7s %3s %9s %9s %8s %10s %9s\n' query engine thr wall_s cpu_s MB/s Mrows/s speedup
  for threads in 1 2; do
    for engine in kqlite duckdb; do
      [ -f "$TIMES/$engine.$query.$threads" ] || continue
      wall=$(cut -d' ' -f1 "$TIMES/$engine.$query.$threads" | median)
      cpu=$(cut -d' ' -f2 "$TIMES/$engine.$query.$threads" | median)
      speedup=""
      if [ "$engine" = duckdb ]; then
        kwall=$(cut -d' ' -f1 "$TIMES/kqlite.$query.$threads" | median)
        speedup="$(echo "scale=2; $wall / $kwall" | bc)x"
      fi
      printf '%-10s %-7s %3s %9s %9s %8s %10s %9s\n' "$query" "$engine" "$threads" "$wall" "$cpu" \
        "$(echo "$SIZE_MB / $wall" | bc)" "$(echo "scale=2; $ROWS / $wall / 1000000" | bc)" "$speedup"
    done
  done
done
