#!/usr/bin/env bash
# external/clickhouse_foreign_types: a table kqlite did not create (DateTime, Nullable, Date, LowCardinality,
# UInt*/Int*, Float32/64, UUID, Enum8; on current ClickHouse also DateTime64(3|7|9), IPv4/IPv6,
# LowCardinality(Nullable(String))) is created by SQL on the 18.16 cluster and on current ClickHouse (chdb over
# tests/clickhouse/chdb_http.js); its columns read with the expected KQL types and values, and every query of
# foreign_queries.kql gives the same rows with --clickhouse as locally over the same rows (exported by a plain scan).
# Usage: foreign_types.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
check() {  # $1 = label, $2 = server url, $3 = basic|current
  local label=$1 url=$2 variant=$3 db_url="$2/?database=kq_foreign"
  mkdir -p "$WORK/$label"
  python3 "$HERE/foreign_types.py" "$variant" "$WORK/$label"
  curl -sS --fail "$url/" --data-binary "DROP DATABASE IF EXISTS kq_foreign" >/dev/null
  curl -sS --fail "$url/" --data-binary "CREATE DATABASE kq_foreign" >/dev/null
  # LowCardinality is experimental (behind a setting) in 18.16.
  curl -sS --fail "$db_url&allow_experimental_low_cardinality_type=1" --data-binary @"$WORK/$label/create.sql" >/dev/null
  curl -sS --fail "$db_url&query=INSERT%20INTO%20Events%20FORMAT%20TabSeparated" \
    --data-binary @"$WORK/$label/rows.tsv" >/dev/null
  # The rows as kqlite reads them, and the schema it gives them, make the local copy.
  "$KQLITE" query --clickhouse "$db_url" 'Events | getschema | project ColumnName, ColumnType' --format csv \
    >"$WORK/$label/schema.csv"
  "$KQLITE" query --clickhouse "$db_url" 'Events' --format jsonl >"$WORK/$label/events.jsonl"
  python3 - "$WORK/$label" "$variant" <<'PY'
import csv, json, sys
folder, variant = sys.argv[1], sys.argv[2]
schema = {row["ColumnName"]: row["ColumnType"] for row in csv.DictReader(open(folder + "/schema.csv"))}
json.dump({"tables": {"Events": schema}}, open(folder + "/schema.json", "w"))
expected = {"EventTime": "datetime", "Seen": "datetime", "Day": "datetime", "Host": "string", "Account": "string",
            "Bytes": "long", "Port": "long", "Delta": "long", "Small": "long", "Big": "long", "Huge": "long",
            "Score": "real", "Ratio": "real", "Flag": "long", "Id": "guid", "Kind": "string"}
if variant == "current":
    expected.update({"T3": "datetime", "T7": "datetime", "T9": "datetime", "Src": "string", "Dst": "string",
                     "Tag": "string"})
problems = ["%s: %s, wanted %s" % (k, schema.get(k), v) for k, v in expected.items() if schema.get(k) != v]
rows = [json.loads(line) for line in open(folder + "/events.jsonl")]
tsv = [line.rstrip("\n").split("\t") for line in open(folder + "/rows.tsv")]
names = list(expected)
def check(condition, message):
    if not condition: problems.append(message)
check(len(rows) == len(tsv) == 300, "%d rows read, %d written" % (len(rows), len(tsv)))
huge = sorted(str(r["Huge"]) for r in rows)
check(huge.count("None") == sum(1 for t in tsv if int(t[names.index("Huge")]) >= 1 << 63),
      "UInt64 above 2^63-1 should read as null")
check(any(r["Score"] == 0.10000000149011612 for r in rows), "Float32 0.1 should widen exactly")
check(all(r["EventTime"].endswith(":00Z") or r["EventTime"][-3:-1].isdigit() for r in rows), "DateTime text")
check(any(r["Account"] == "" for r in rows) and not any(r["Account"] is None for r in rows),
      "a null Nullable(String) reads as an empty string")
check(any(r["Seen"] is None for r in rows), "a null Nullable(DateTime) reads as a null datetime")
check(set(r["Kind"] for r in rows) == {"allow", "deny"}, "Enum8 reads as its names")
if variant == "current":
    check(any(r["T7"] == "2024-05-01T08:00:00.1234567Z" for r in rows), "DateTime64(7) keeps 100 ns")
    check(any(r["T3"].endswith(".999Z") for r in rows), "DateTime64(3) keeps milliseconds")
    check(any(r["T9"] == "1969-12-31T23:59:58.9999999Z" for r in rows), "DateTime64(9) before 1970 floors")
    check(any(r["T9"] == "1969-12-31T00:00:00Z" for r in rows), "DateTime64(9) 1 ns before 1970 floors")
    check(any(r["T9"] == "1970-01-01T00:00:00Z" for r in rows), "DateTime64(9) 50 ns floors to 0")
    check(any(r["Dst"] == "::ffff:10.0.0.1" for r in rows) and any(r["Dst"] == "" for r in rows), "IPv6 text")
    check(any(r["Src"] == "255.255.255.255" for r in rows), "IPv4 text")
for problem in problems:
    print("FAIL type map: " + problem)
sys.exit(1 if problems else 0)
PY
  [ $? = 0 ] || failures=$((failures + 1))
  python3 - "$HERE/foreign_queries.kql" "$WORK/$label" "$variant" <<'PY'
import sys
blocks = [b.strip() for b in open(sys.argv[1], encoding="utf-8").read().split("\n// ---\n")]
blocks[0] = "\n".join(l for l in blocks[0].splitlines() if not l.startswith("// Queries") and
                      not l.startswith("// separated") and not l.startswith("// asks"))
for i, block in enumerate(blocks):
    lines = block.splitlines()
    if "// current" in lines and sys.argv[3] != "current":
        continue
    query = "\n".join(l for l in lines if not l.startswith("//"))
    expect = [l[3:] for l in lines if l.startswith("// sql: ")]
    open("%s/q%02d.kql" % (sys.argv[2], i), "w", encoding="utf-8").write(query + "\n")
    open("%s/q%02d.expect" % (sys.argv[2], i), "w", encoding="utf-8").write("".join(e + "\n" for e in expect))
PY
  local query count=0
  pushed=0
  for query in "$WORK/$label"/q*.kql; do
    compare_query "$query" "$label" "$db_url" --schema "$WORK/$label/schema.json" \
      --table Events="$WORK/$label/events.jsonl"
    count=$((count + 1))
  done
  curl -sS --fail "$url/" --data-binary "DROP DATABASE kq_foreign" >/dev/null
  echo "$label: $count queries over the foreign table compared, $pushed SQL expectations met"
}
check clickhouse-18.16 "$CH_URL1" basic
rc=0
start_chdb_http || rc=$?
if [ $rc = 0 ]; then
  check "chdb-$(curl -sS "$CHDB_URL/" --data-binary 'SELECT version()')" "$CHDB_URL" current
elif [ $rc = 77 ]; then
  echo "current ClickHouse part skipped (chdb cannot be installed)"
else
  failures=$((failures + 1))
fi
[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "the foreign table reads and queries the same as locally"
