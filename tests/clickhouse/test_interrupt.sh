#!/usr/bin/env bash
# external/clickhouse_test_interrupt: a `kqlite test --clickhouse` run that is stopped leaves no scratch database.
# Ctrl-C (SIGINT) ends the run with exit 130 and SIGTERM ends it by that signal, each after dropping the scratch
# database of the case it was running, whose name says whose it is (kqlite_test_<host>_<pid>_<unix time>_<n>).
# A run killed outright (SIGKILL) cannot clean up: the next run on the server drops its database (same host, pid
# gone), and keeps those it cannot prove dead (a live pid, another host, a name of another shape).
# Usage: test_interrupt.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
sql() { curl -sS --fail "$CH_URL1/" --data-binary "$1"; }
scratch() { sql "SELECT name FROM system.databases WHERE name LIKE 'kqlite\\_test\\_%' ORDER BY name"; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
host=$(hostname | tr -c 'A-Za-z0-9\n' '-' | cut -c1-32)

# A test file of 400 cases, each with its own scratch database: a run lasts long enough to be stopped.
cp "$HERE/rules/rmm_hits_with_os.yaml" "$WORK/many.yaml"
{
  echo "rule: many.yaml"
  echo "now: 2024-05-01T12:00:00Z"
  echo "cases:"
  for i in $(seq 1 400); do
    cat <<YAML
  - name: 'case $i'
    kind: true_positive
    events:
      DeviceNetworkEvents: |
        {"Timestamp":"2024-05-01T08:00:05Z","DeviceId":"a1f0-$i","RemoteUrl":"relay-$i.anydesk.com"}
      DeviceInfo: |
        {"Timestamp":"2024-05-01T07:00:00Z","DeviceId":"a1f0-$i","OSPlatform":"Windows11"}
    expect:
      alerts: 1
YAML
  done
} >"$WORK/many.tests.yaml"

# start_run: starts `kqlite test --clickhouse` on the 400 cases in its own process group (job control, so SIGINT is
# not ignored as in a plain background job), sets RUN_PID and waits until it has a scratch database (RUN_DB).
set -m
start_run() {
  "$KQLITE" test -j 1 --clickhouse "$CH_URL1/" "$WORK/many.tests.yaml" >"$WORK/run.out" 2>"$WORK/run.err" &
  RUN_PID=$!
  RUN_DB=
  for _ in $(seq 1 300); do
    RUN_DB=$(scratch | grep "_${RUN_PID}_" | head -n 1 || true)
    [ -n "$RUN_DB" ] && return 0
    kill -0 "$RUN_PID" 2>/dev/null || break
    sleep 0.1
  done
  fail "the run (pid $RUN_PID) made no scratch database: $(cat "$WORK/run.err")"
  return 1
}
# stop_run SIGNAL: sends SIGNAL and waits (at most 30 s, then SIGKILL) for the run's exit status in RUN_RC.
stop_run() {
  kill -s "$1" "$RUN_PID"
  for _ in $(seq 1 300); do
    kill -0 "$RUN_PID" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$RUN_PID" 2>/dev/null; then
    fail "the run did not end within 30 s of SIG$1"
    kill -s KILL "$RUN_PID"
  fi
  RUN_RC=0
  wait "$RUN_PID" || RUN_RC=$?
}

for signal in INT TERM; do
  start_run || continue
  [[ $RUN_DB =~ ^kqlite_test_${host}_${RUN_PID}_[0-9]{10}_[0-9]+$ ]] ||
    fail "scratch database name $RUN_DB is not kqlite_test_<host>_<pid>_<unix time>_<n>"
  stop_run "$signal"
  expected=130
  [ "$signal" = TERM ] && expected=143
  [ "$RUN_RC" = "$expected" ] || fail "SIG$signal: exit $RUN_RC, expected $expected: $(cat "$WORK/run.err")"
  left=$(scratch | grep "_${RUN_PID}_" || true)
  [ -z "$left" ] || fail "SIG$signal left scratch database(s): $left"
  if [ "$signal" = INT ]; then
    grep -q "interrupted" "$WORK/run.err" || fail "SIGINT: no message on stderr: $(cat "$WORK/run.err")"
    grep -q "passed" "$WORK/run.out" && fail "SIGINT: a partial run printed a summary: $(cat "$WORK/run.out")"
  fi
done

# SIGKILL: the database stays; the next run drops it, and no database it cannot prove dead.
# The database is that of the case the run was in when it died (cases go on after start_run saw one); a kill that
# falls between two cases leaves none, so up to three runs are killed.
killed_db=
for _ in 1 2 3; do
  start_run || break
  stop_run KILL
  killed_db=$(scratch | grep "_${RUN_PID}_" | head -n 1 || true)
  [ -n "$killed_db" ] && break
done
[ -n "$killed_db" ] || fail "SIGKILL left no scratch database in three runs (the test cannot tell anything)"
[ -n "$killed_db" ] && {
  now=$(date +%s)
  keep=("kqlite_test_${host}_$$_${now}_0" "kqlite_test_elsewhere_${RUN_PID}_${now}_0" "kqlite_test_${RUN_PID}_3")
  for name in "${keep[@]}"; do sql "CREATE DATABASE \`$name\`"; done
  "$KQLITE" test --clickhouse "$CH_URL1/" "$HERE/rules/rmm_hits_with_os.tests.yaml" >"$WORK/next.out" 2>"$WORK/next.err" ||
    fail "the next run failed: $(cat "$WORK/next.out" "$WORK/next.err")"
  grep -qF "dropped 1 stale scratch database(s) of ended runs: $killed_db" "$WORK/next.err" ||
    fail "the next run did not report the stale database: $(cat "$WORK/next.err")"
  scratch | grep -qxF "$killed_db" && fail "the next run left the killed run's $killed_db"
  for name in "${keep[@]}"; do
    scratch | grep -qxF "$name" || fail "the next run dropped $name, which it cannot prove dead"
    sql "DROP DATABASE IF EXISTS \`$name\`"
  done
}
left=$(scratch)
[ -z "$left" ] || { fail "scratch databases left: $left"; for name in $left; do sql "DROP DATABASE \`$name\`"; done; }
[ "$failures" = 0 ] || exit 1
echo "ok: SIGINT (130) and SIGTERM (143) dropped the scratch database; a killed run's was dropped by the next run"
