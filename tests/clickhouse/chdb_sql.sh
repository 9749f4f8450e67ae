#!/usr/bin/env bash
# external/clickhouse_chdb_sql: the SQL kqlite sends for the differential queries also runs on a current ClickHouse
# (npm chdb, in-process) and gives the same rows as on the 18.16 cluster. Skips when npm/chdb cannot be installed.
# Usage: chdb_sql.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
set +e
bash "$CH_SOURCE/scripts/install_chdb.sh" "$CH_BUILD"
rc=$?
set -e
[ $rc = 0 ] || exit $rc
URL="$CH_URL2/?database=kq_single"
sql() { curl -sS --fail-with-body "$URL" --data-binary @-; }
structure=$(echo "SELECT arrayStringConcat(groupArray(concat(name, ' ', type)), ', ') FROM system.columns WHERE database = 'kq_single' AND table = 'DeviceNetworkEvents'" | sql)
echo "SELECT * FROM DeviceNetworkEvents FORMAT TabSeparated" | sql >"$WORK/table.tsv"
python3 - "$HERE/differential_queries.kql" "$WORK" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8").read()
blocks = [b.strip() for b in text.split("\n// ---\n")]
blocks[0] = "\n".join(l for l in blocks[0].splitlines() if not l.startswith("//"))
for i, block in enumerate(blocks):
    open("%s/q%02d.kql" % (sys.argv[2], i), "w", encoding="utf-8").write(block + "\n")
PY
files=()
for query in "$WORK"/q*.kql; do
  name=$(basename "$query" .kql)
  "$KQLITE" query -f "$query" --clickhouse "$URL" --now 2026-11-20T12:00:00Z --explain >"$WORK/$name.plan"
  # Each "ClickHouse SQL for ..." block up to its FORMAT line is one statement.
  python3 - "$WORK/$name.plan" "$WORK/$name" <<'PY'
import sys
lines, out, current, n = open(sys.argv[1]).read().split("\n"), None, [], 0
for line in lines:
    if line.startswith("ClickHouse SQL for "):
        current = []
        continue
    if current is not None:
        current.append(line)
        if line.startswith("FORMAT "):
            open("%s.%d.sql" % (sys.argv[2], n), "w").write("\n".join(current) + "\n")
            n += 1
            current = None
PY
done
for file in "$WORK"/*.sql; do
  files+=("$file")
  sql <"$file" >"$file.ch18"
done
node "$HERE/chdb_sql.js" "$CH_BUILD/npm/node_modules/chdb" "$WORK/chdb" kq_single DeviceNetworkEvents "$structure" \
  "$WORK/table.tsv" "${files[@]}"
failures=0
for file in "${files[@]}"; do
  if ! diff <(sort "$file.ch18") <(sort "$file.chdb") >/dev/null; then
    echo "FAIL: $(basename "$file") differs between ClickHouse 18.16 and chdb:"
    cat "$file"
    diff <(sort "$file.ch18") <(sort "$file.chdb") | head -10
    failures=$((failures + 1))
  fi
done
echo "${#files[@]} SQL statements run on 18.16 and on chdb; $failures differ"
[ "$failures" = 0 ]
