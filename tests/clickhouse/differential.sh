#!/usr/bin/env bash
# external/clickhouse_differential: every query of differential_queries.kql gives the same result through
# `kqlite query --clickhouse` (2-shard Distributed table, and a single server) as locally over the same file.
# Usage: differential.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
python3 - "$HERE/differential_queries.kql" "$WORK" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b.strip() for b in text.split("\n// ---\n")]
blocks[0] = "\n".join(l for l in blocks[0].splitlines() if not l.startswith("//"))
for i, block in enumerate(blocks):
    open("%s/q%02d.kql" % (sys.argv[2], i), "w", encoding="utf-8").write(block + "\n")
PY
failures=0
run() {  # $1 = database, $2 = url, $3 = data file, $4 = now
  local db=$1 url=$2 data=$3 now=$4 query
  for query in "$WORK"/q*.kql; do
    local name
    name=$(basename "$query" .kql)
    "$KQLITE" query -f "$query" --table DeviceNetworkEvents="$data" --now "$now" --format jsonl >"$WORK/$name.local.jsonl"
    if ! "$KQLITE" query -f "$query" --clickhouse "$url/?database=$db" --now "$now" --format jsonl \
        >"$WORK/$name.$db.jsonl" 2>"$WORK/$name.$db.err"; then
      echo "FAIL $db $name: kqlite query --clickhouse failed"; cat "$WORK/$name.$db.err"; failures=$((failures + 1))
      continue
    fi
    python3 "$HERE/normalize_result.py" "$WORK/$name.local.jsonl" >"$WORK/$name.local.norm"
    python3 "$HERE/normalize_result.py" "$WORK/$name.$db.jsonl" >"$WORK/$name.$db.norm"
    if ! diff -q "$WORK/$name.local.norm" "$WORK/$name.$db.norm" >/dev/null; then
      echo "FAIL $db $name: results differ"; cat "$query"
      diff "$WORK/$name.local.norm" "$WORK/$name.$db.norm" | head -20
      "$KQLITE" query -f "$query" --clickhouse "$url/?database=$db" --now "$now" --explain | head -40
      failures=$((failures + 1))
    else
      echo "ok $db $name ($(wc -l <"$WORK/$name.local.norm") rows)"
    fi
  done
}
run kq_demo "$CH_URL1" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z
run kq_single "$CH_URL2" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z
if [ -f "$CH_DIR/data/generated.jsonl" ]; then
  run kq_gen "$CH_URL2" "$CH_DIR/data/generated.jsonl" 2026-03-01T12:00:00Z
fi
# The filters and the summarize of the seed rule run on the server (one SQL query with GROUP BY).
plan=$("$KQLITE" query -f "$CH_SOURCE/tests/e2e/seed_rule.kql" --clickhouse "$CH_URL1/?database=kq_demo" --explain)
if ! grep -q "GROUP BY" <<<"$plan" || ! grep -q "Scan __clickhouse_0" <<<"$plan"; then
  echo "FAIL: the seed rule was not pushed down:"; echo "$plan"; failures=$((failures + 1))
fi
# Row order survives when the sort runs on the server and later operators run locally (compared unsorted).
ordered='DeviceNetworkEvents | where RemotePort == 443 | sort by Timestamp asc, ReportId asc
| extend h = strcat(DeviceName, "/", RemoteUrl) | project Timestamp, ReportId, h'
"$KQLITE" query --clickhouse "$CH_URL1/?database=kq_demo" --now 2026-11-20T12:00:00Z --format csv "$ordered" \
  >"$WORK/ordered.ch.csv"
"$KQLITE" query --table DeviceNetworkEvents="$CH_DIR/data/demo.jsonl" --now 2026-11-20T12:00:00Z --format csv \
  "$ordered" >"$WORK/ordered.local.csv"
if ! cmp -s "$WORK/ordered.ch.csv" "$WORK/ordered.local.csv"; then
  echo "FAIL: sorted rows come back in another order"; failures=$((failures + 1))
fi
# Connection and database errors are clear messages with exit status 2.
expect_error() {  # $1 = url, $2 = message part
  local rc=0
  "$KQLITE" query --clickhouse "$1" 'DeviceNetworkEvents | count' >/dev/null 2>"$WORK/error.txt" || rc=$?
  if [ "$rc" != 2 ] || ! grep -q "$2" "$WORK/error.txt"; then
    echo "FAIL: $1: exit $rc, wanted 2 and '$2':"; cat "$WORK/error.txt"; failures=$((failures + 1))
  fi
}
expect_error "http://127.0.0.1:1/?database=kq_demo" "cannot reach http://127.0.0.1:1/"
expect_error "$CH_URL1/?database=kq_absent" "has no database kq_absent"
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all queries equal on both back ends"
