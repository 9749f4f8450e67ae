#!/usr/bin/env bash
# external/clickhouse_test_command: `kqlite test --clickhouse URL` loads each case's events into a scratch database
# on the server, runs the rule there and compares as locally: the report (-v) equals the local one for the
# project's two-table join rules (tests/clickhouse/rules) and a sample of the built-in pack's test files, the rules
# really ran on the server (its SelectQuery count grew), no scratch database is left behind, and an unreachable
# server is a usage error (exit 2); the same report on current ClickHouse (chdb), whose log shows the join rule's
# join ran there.
# Usage: test_command.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
sql() { curl -sS --fail "$CH_URL1/" --data-binary "$1"; }
files=("$HERE/rules")
for name in anydesk_network_connection anydesk_process_execution anydesk_signed_binary network_connection_seed; do
  file=$(ls "$CH_SOURCE"/rules/builtin/rmm/*"$name".tests.yaml | head -n 1)
  files+=("$file")
done
"$KQLITE" test -v "${files[@]}" >"$WORK/local.txt"
before=$(sql "SELECT value FROM system.events WHERE event = 'SelectQuery'")
set +e
"$KQLITE" test -v -j 2 --clickhouse "$CH_URL1/" "${files[@]}" >"$WORK/ch.txt" 2>"$WORK/ch.err"
rc=$?
set -e
after=$(sql "SELECT value FROM system.events WHERE event = 'SelectQuery'")
cases=$(grep -c '^ok ' "$WORK/local.txt")
if [ $rc != 0 ] || ! diff "$WORK/local.txt" "$WORK/ch.txt"; then
  echo "FAIL: kqlite test --clickhouse (exit $rc) differs from the local run"
  cat "$WORK/ch.err"
  exit 1
fi
if [ "$cases" -lt 10 ] || [ $((after - before)) -lt "$cases" ]; then
  echo "FAIL: $cases cases but only $((after - before)) SELECT queries reached the server"
  exit 1
fi
left=$(sql "SELECT count() FROM system.databases WHERE name LIKE 'kqlite_test_%'")
if [ "$left" != 0 ]; then
  echo "FAIL: $left scratch database(s) left on the server"
  exit 1
fi
# A failing case fails the same way on the server (exit 1, same report).
sed 's/Hits: 2/Hits: 3/' "$HERE/rules/rmm_hits_with_os.tests.yaml" >"$WORK/broken.tests.yaml"
cp "$HERE/rules/rmm_hits_with_os.yaml" "$WORK/"
set +e
"$KQLITE" test "$WORK/broken.tests.yaml" >"$WORK/broken.local.txt"
local_rc=$?
"$KQLITE" test --clickhouse "$CH_URL1/" "$WORK/broken.tests.yaml" >"$WORK/broken.ch.txt"
ch_rc=$?
"$KQLITE" test --clickhouse http://127.0.0.1:1/ "$HERE/rules" >/dev/null 2>"$WORK/unreachable.err"
unreachable_rc=$?
set -e
if [ $local_rc != 1 ] || [ $ch_rc != 1 ] || ! diff "$WORK/broken.local.txt" "$WORK/broken.ch.txt"; then
  echo "FAIL: a failing case: exit $local_rc locally, $ch_rc on ClickHouse"
  exit 1
fi
if [ $unreachable_rc != 2 ] || ! grep -q "cannot reach" "$WORK/unreachable.err"; then
  echo "FAIL: an unreachable server gave exit $unreachable_rc: $(cat "$WORK/unreachable.err")"
  exit 1
fi
# The same on current ClickHouse (chdb); its query log shows the rules' joins and filters ran there.
rc=0
start_chdb_http || rc=$?
if [ $rc = 0 ]; then
  if ! "$KQLITE" test -v --clickhouse "$CHDB_URL/" "${files[@]}" >"$WORK/chdb.txt" 2>"$WORK/chdb.err" ||
      ! diff "$WORK/local.txt" "$WORK/chdb.txt"; then
    echo "FAIL: kqlite test --clickhouse on current ClickHouse differs from the local run"
    cat "$WORK/chdb.err"
    exit 1
  fi
  for text in "GLOBAL ALL INNER JOIN" "CREATE DATABASE IF NOT EXISTS \`kqlite_test_" "DROP DATABASE IF EXISTS \`kqlite_test_"; do
    if ! grep -qF "$text" "$WORK/chdb_queries.sql"; then
      echo "FAIL: no '$text' among the statements current ClickHouse ran"
      exit 1
    fi
  done
elif [ $rc != 77 ]; then
  exit 1
fi
echo "ok: $cases cases equal on ClickHouse ($((after - before)) SELECT queries), failures equal, no scratch database left"
