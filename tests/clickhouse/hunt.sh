#!/usr/bin/env bash
# external/clickhouse_hunt: `kqlite hunt --clickhouse` (the whole built-in pack) raises the same alerts as a local
# hunt of the same file. Alerts are compared without their order-dependent parts: rows and entities as sets (a
# summarize's row order is unspecified; the alert id and "row" come from the first row).
# The rules reading a table run locally over the rows of one candidate query (each rule's filters OR-ed): the
# summary says how many. tests/clickhouse/candidate_rules mixes rules that can (windowed, a self-join, a union of two
# filtered reads) with rules that cannot (a scan without filter, a filter ClickHouse does not run).
# Usage: hunt.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
check() {  # $1 = database, $2 = url, $3 = data file, $4 = now, $5 = the summary's candidate line, [$6 = rules]
  # shellcheck disable=SC2086  # HUNT_OPTS: more options of the ClickHouse hunt, word-split.
  "$KQLITE" hunt ${6:+"$6"} ${HUNT_OPTS:-} --clickhouse "$2/?database=$1" --now "$4" --format jsonl --out "$WORK/$1.ch.jsonl" \
    2>"$WORK/$1.ch.log"
  "$KQLITE" hunt ${6:+"$6"} --table DeviceNetworkEvents="$3" --now "$4" --format jsonl --out "$WORK/$1.local.jsonl" \
    2>"$WORK/$1.local.log"
  if ! grep -q "$5" "$WORK/$1.ch.log"; then
    echo "FAIL: the hunt summary does not say: $5"
    cat "$WORK/$1.ch.log"
    exit 1
  fi
  grep "candidate" "$WORK/$1.ch.log"
  python3 - "$WORK/$1.ch.jsonl" "$WORK/$1.local.jsonl" <<'PY'
import json, sys
def canonical(value):
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items() if k not in ("alertId", "SystemAlertId", "row")}
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value
def load(path):
    return sorted(json.dumps(canonical(json.loads(l)), sort_keys=True) for l in open(path) if l.strip())
ch, local = load(sys.argv[1]), load(sys.argv[2])
if ch != local:
    print("FAIL: %d alerts on ClickHouse, %d locally" % (len(ch), len(local)))
    for a in sorted(set(ch) ^ set(local))[:4]:
        print(" ", a[:400])
    sys.exit(1)
if not ch:
    print("FAIL: no alerts at all"); sys.exit(1)
print("ok: %d alert(s) equal" % len(ch))
PY
  tail -n 1 "$WORK/$1.ch.log"
}
ALL='table DeviceNetworkEvents: 177 of 177 rules reading it ran locally over [0-9]* candidate rows'
check kq_demo "$CH_URL1" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z "$ALL"
check kq_demo "$CH_URL1" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z \
  'table DeviceNetworkEvents: 3 of 6 rules reading it ran locally over 1515 candidate rows' \
  "$CH_SOURCE/tests/clickhouse/candidate_rules"
# Over the memory budget's bound (1 MB: 1515 rows of the table's columns is more), each rule queries ClickHouse
# itself.
HUNT_OPTS="--max-memory 1M" check kq_demo "$CH_URL1" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z \
  'table DeviceNetworkEvents: the candidate query for 3 rules returned over [0-9]* rows' \
  "$CH_SOURCE/tests/clickhouse/candidate_rules"
if [ -f "$CH_DIR/data/generated.jsonl" ]; then
  check kq_gen "$CH_URL1" "$CH_DIR/data/generated.jsonl" 2026-03-01T12:00:00Z "$ALL"
fi
