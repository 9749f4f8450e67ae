#!/usr/bin/env bash
# ClickHouse back end benchmark: `kqlite load` into the 2-shard loopback cluster (scripts/clickhouse_cluster.sh,
# Debian's 18.16) and query/hunt time there (`--clickhouse`) against the local engine over the same JSON-lines
# file. Starts its own cluster in a temporary folder and stops exactly those servers at the end. Prints a markdown
# table: per workload the median wall seconds over RUNS runs (the hunt runs once on ClickHouse: it takes minutes)
# and whether the results are equal. Not part of the test suite; numbers go to docs/performance.md.
# Usage: bench/clickhouse_1m.sh [ROWS] [RUNS]
#   env: KQLITE_BIN (default build/kqlite), KQLITE_BENCH_DIR (generated data, default /tmp/kqlite-bench),
#        THREADS (local --threads, default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}
RUNS=${2:-3}
THREADS=${THREADS:-2}
NOW=2026-01-01T00:00:00Z
KQLITE=${KQLITE_BIN:-build/kqlite}
DATA_DIR=${KQLITE_BENCH_DIR:-/tmp/kqlite-bench}
GEN=/work/shared/tools/gen_devicenetworkevents.py
[ -f "$GEN" ] || GEN=../shared/tools/gen_devicenetworkevents.py
FILE=$DATA_DIR/$ROWS/DeviceNetworkEvents.jsonl
if [ ! -f "$FILE" ]; then
  mkdir -p "$(dirname "$FILE")"
  python3 "$GEN" --rows "$ROWS" --out "$FILE" --now "$NOW" --jobs 2 --no-expected >/dev/null
fi
WORK=$(mktemp -d)
CLUSTER=$WORK/cluster
cleanup() { bash scripts/clickhouse_cluster.sh stop "$CLUSTER" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT
bash scripts/clickhouse_cluster.sh start "$CLUSTER" >/dev/null
URL1=$(sed -n 1p "$CLUSTER/urls") URL2=$(sed -n 2p "$CLUSTER/urls")
DB="$URL1/?database=bench"

seconds() {  # runs "$@" with stdout to $OUT, prints wall seconds
  local start end
  start=$(date +%s.%N)
  "$@" >"$OUT" 2>>"$WORK/stderr.log"
  end=$(date +%s.%N)
  python3 -c "print('%.2f' % ($end - $start))"
}
median() { python3 -c "import statistics,sys; print('%.2f' % statistics.median(map(float, sys.argv[1:])))" "$@"; }
same() {  # $1 $2 = jsonl results: equal as row sets (arrays sorted)
  python3 - "$1" "$2" <<'PY'
import json, sys
def canonical(v):
    if isinstance(v, list): return sorted((canonical(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
    if isinstance(v, dict): return {k: canonical(x) for k, x in v.items() if k not in ("alertId", "SystemAlertId", "row")}
    if isinstance(v, float): return round(v, 9)
    return v
def rows(path): return sorted(json.dumps(canonical(json.loads(l)), sort_keys=True) for l in open(path) if l.strip())
a, b = rows(sys.argv[1]), rows(sys.argv[2])
print("equal (%d rows)" % len(a) if a == b else "DIFFERENT (%d vs %d rows)" % (len(a), len(b)))
PY
}

echo "| what | ClickHouse 18.16, Distributed over 2 shards | local kqlite --threads $THREADS over the file | results |"
echo "|---|---|---|---|"
OUT=$WORK/load.txt
load=$(seconds "$KQLITE" load --clickhouse "$URL1/?database=bench" --clickhouse "$URL2/?database=bench" --cluster kq2 \
  --table DeviceNetworkEvents="$FILE")
echo "| \`kqlite load --cluster kq2\` of $ROWS rows ($(( $(stat -c %s "$FILE") / 1000000 )) MB) | $load s | — | $(tail -n 1 "$WORK/stderr.log" | sed 's/kqlite: //') |"

declare -A QUERIES=(
  [seed]="$(cat bench/seed_rule.kql)"
  [by_url]='DeviceNetworkEvents | summarize count(), dcount(DeviceId) by RemoteUrl'
  [strcat]='DeviceNetworkEvents | extend h = strcat(DeviceName, "/", RemoteUrl) | summarize dcount(h)'
  [join]='DeviceNetworkEvents | where RemotePort == 3389 | summarize Rdp = count() by DeviceId
| join kind=inner (DeviceNetworkEvents | where RemoteUrl has "tacticalrmm.io" | summarize Rmm = count() by DeviceId) on DeviceId
| summarize Devices = count(), Rdp = sum(Rdp), Rmm = sum(Rmm)'
)
for name in seed by_url strcat join; do
  query=${QUERIES[$name]}
  ch=() local=()
  for _ in $(seq 1 "$RUNS"); do
    OUT=$WORK/$name.ch.jsonl
    ch+=("$(seconds "$KQLITE" query --clickhouse "$DB" --now "$NOW" --format jsonl "$query")")
    OUT=$WORK/$name.local.jsonl
    local+=("$(seconds "$KQLITE" query --threads "$THREADS" --table DeviceNetworkEvents="$FILE" --now "$NOW" \
      --format jsonl "$query")")
  done
  echo "| $name: \`$(echo "$query" | tr '\n' ' ' | sed 's/|/\\|/g' | cut -c1-90)…\` | $(median "${ch[@]}") s | $(median "${local[@]}") s | $(same "$WORK/$name.ch.jsonl" "$WORK/$name.local.jsonl") |"
done
OUT=$WORK/hunt.ch.jsonl
hunt_ch=$(seconds "$KQLITE" hunt --clickhouse "$DB" --now "$NOW" --format jsonl --out /dev/stdout)
OUT=$WORK/hunt.local.jsonl
hunt_local=$(seconds "$KQLITE" hunt --threads "$THREADS" --table DeviceNetworkEvents="$FILE" --now "$NOW" \
  --format jsonl --out /dev/stdout)
echo "| \`hunt\` with the built-in pack | $hunt_ch s | $hunt_local s | $(same "$WORK/hunt.ch.jsonl" "$WORK/hunt.local.jsonl") |"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kqlite $(git rev-parse --short HEAD), bench/clickhouse_1m.sh $ROWS $RUNS"
