#!/usr/bin/env bash
# external/clickhouse_join_pushdown: the joins of join_queries.kql give the same rows with --clickhouse as locally
# over the same file, on the 2-shard Distributed table, on one server, and on current ClickHouse (chdb over
# tests/clickhouse/chdb_http.js); the kinds that push down do (GLOBAL ALL INNER/LEFT JOIN, GLOBAL IN) and the
# others stay local.
# Usage: join_pushdown.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
NOW=2026-11-20T12:00:00Z
DATA=$CH_DIR/data/demo.jsonl
python3 - "$HERE/join_queries.kql" "$WORK" <<'PY'
import sys
blocks = [b.strip() for b in open(sys.argv[1], encoding="utf-8").read().split("\n// ---\n")]
for i, block in enumerate(blocks):
    lines = [l for l in block.splitlines() if not l.startswith("// Joins") and not l.startswith("// \"// sql")
             and not l.startswith("// as one")]
    open("%s/q%02d.kql" % (sys.argv[2], i), "w").write("\n".join(l for l in lines if not l.startswith("//")) + "\n")
    open("%s/q%02d.expect" % (sys.argv[2], i), "w").write("".join(l[3:] + "\n" for l in lines if l.startswith("// ")))
PY
run() {  # $1 = label, $2 = url with database
  local query
  pushed=0
  for query in "$WORK"/q*.kql; do
    compare_query "$query" "$1" "$2" --table DeviceNetworkEvents="$DATA"
  done
  echo "$1: $(ls "$WORK"/q*.kql | wc -l) joins compared with the local engine's, $pushed pushed or kept local as expected"
}
run clickhouse-18.16-distributed "$CH_URL1/?database=kq_demo"
run clickhouse-18.16-single "$CH_URL2/?database=kq_single"
rc=0
start_chdb_http || rc=$?
if [ $rc = 0 ]; then
  "$KQLITE" load --clickhouse "$CHDB_URL/?database=kq_demo" --table DeviceNetworkEvents="$DATA" 2>/dev/null
  run "chdb-$(curl -sS "$CHDB_URL/" --data-binary 'SELECT version()')" "$CHDB_URL/?database=kq_demo"
elif [ $rc = 77 ]; then
  echo "current ClickHouse part skipped (chdb cannot be installed)"
else
  failures=$((failures + 1))
fi
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
