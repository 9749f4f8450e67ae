#!/usr/bin/env bash
# End-to-end benchmark of the seed rule: generates ROWS DeviceNetworkEvents rows (default 1,000,000) with the
# shared generator, then times `kqlite query` with 1 and 2 threads, and DuckDB's read_ndjson on the same file when
# npm can install @duckdb/node-api. Prints medians of RUNS runs (default 5) and ratios; checks kqlite's answer
# against the generator's expected groups. Not part of the test suite.
# Usage: bench/e2e_seed.sh [ROWS] [RUNS]     (needs ../shared/tools, python3; node+npm optional)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-5}
NOW=2026-01-01T00:00:00Z
DATA_DIR=${KQLITE_BENCH_DIR:-bench/data}
GEN=../shared/tools/gen_devicenetworkevents.py
FILE=$DATA_DIR/DeviceNetworkEvents_${ROWS}.jsonl
mkdir -p "$DATA_DIR"
[ -x build/kqlite ] || bash scripts/build.sh
if [ ! -f "$FILE" ]; then
  echo "generating $ROWS rows into $FILE ..."
  python3 "$GEN" --rows "$ROWS" --out "$FILE" --now "$NOW" --jobs 2 >/dev/null
fi
SIZE_MB=$(( $(stat -c %s "$FILE") / 1000000 ))
QUERY=$(cat <<'KQL'
let Time_start = now(-5d);
let Time_end = now();
DeviceNetworkEvents
| where Timestamp between (Time_start..Time_end)
| where RemoteUrl has 'tacticalrmm.io'
and InitiatingProcessVersionInfoCompanyName has_any ('AmidaWare', 'Tactical Techs')
| summarize FirstSeen=min(Timestamp), LastSeen=max(Timestamp), Report=make_set(ReportId), Count=count() by DeviceId, DeviceName, RemoteUrl
KQL
)
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_kqlite() {
  local threads=$1
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    ./build/kqlite query "$QUERY" --table DeviceNetworkEvents="$FILE" --now "$NOW" --threads "$threads" --format jsonl >/tmp/kqlite_bench_out.jsonl
    end=$(date +%s.%N)
    echo "$end - $start" | bc
  done | median
}
cat "$FILE" >/dev/null  # warm the page cache
K1=$(time_kqlite 1)
K2=$(time_kqlite 2)
GROUPS_K=$(wc -l </tmp/kqlite_bench_out.jsonl)
GROUPS_E=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['result_groups'])" "$FILE.expected.json")
echo "rows=$ROWS size=${SIZE_MB}MB kqlite groups=$GROUPS_K expected=$GROUPS_E"
echo "kqlite 1 thread:  ${K1}s  ($(echo "$SIZE_MB / $K1" | bc) MB/s)"
echo "kqlite 2 threads: ${K2}s  ($(echo "$SIZE_MB / $K2" | bc) MB/s)"
DUCK_DIR=${KQLITE_DUCKDB_DIR:-bench/.duckdb}
if command -v npm >/dev/null && { [ -d "$DUCK_DIR/node_modules/@duckdb/node-api" ] || (mkdir -p "$DUCK_DIR" && cd "$DUCK_DIR" && npm init -y >/dev/null && npm install @duckdb/node-api >/dev/null 2>&1); }; then
  cp bench/duckdb_seed.mjs "$DUCK_DIR/"
  for threads in 1 2; do
    D=$(for _ in $(seq "$RUNS"); do node "$DUCK_DIR/duckdb_seed.mjs" "$PWD/$FILE" "${NOW%Z}" "$threads" | python3 -c "import json,sys; print(json.load(sys.stdin)['seconds'])"; done | median)
    echo "duckdb $threads thread(s): ${D}s  (kqlite is $(echo "scale=2; $D / $( [ "$threads" = 1 ] && echo "$K1" || echo "$K2")" | bc)x faster)"
  done
else
  echo "duckdb: @duckdb/node-api not installable here; skipped"
fi
