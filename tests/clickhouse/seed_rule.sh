#!/usr/bin/env bash
# external/clickhouse_seed_rule: the seed rule (tests/e2e/seed_rule.kql, the TacticalRMM rule of rules/builtin)
# through `kqlite query --clickhouse` on the 2-shard cluster equals the local engine's result over the same file
# (bundled demo data; and the 20k generated rows of ../shared's generator when present, where it must also equal
# the generator's expected groups exactly: datetimes to the 100 ns tick, Report sets, counts).
# Usage: seed_rule.sh BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/clickhouse_common.sh" "$@"
RULE=$CH_SOURCE/tests/e2e/seed_rule.kql
check() {  # $1 = database, $2 = url, $3 = data file, $4 = now
  "$KQLITE" query -f "$RULE" --clickhouse "$2/?database=$1" --now "$4" --format jsonl >"$WORK/$1.ch.jsonl"
  "$KQLITE" query -f "$RULE" --table DeviceNetworkEvents="$3" --now "$4" --format jsonl >"$WORK/$1.local.jsonl"
  python3 "$HERE/normalize_result.py" "$WORK/$1.ch.jsonl" >"$WORK/$1.ch.norm"
  python3 "$HERE/normalize_result.py" "$WORK/$1.local.jsonl" >"$WORK/$1.local.norm"
  if ! diff "$WORK/$1.local.norm" "$WORK/$1.ch.norm"; then
    echo "FAIL: $1: the seed rule differs between ClickHouse and the local engine"
    exit 1
  fi
  [ -s "$WORK/$1.ch.norm" ] || { echo "FAIL: $1: no groups"; exit 1; }
  echo "ok: $1: $(wc -l <"$WORK/$1.ch.norm") groups equal on ClickHouse and locally"
}
check kq_demo "$CH_URL1" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z
check kq_single "$CH_URL2" "$CH_DIR/data/demo.jsonl" 2026-11-20T12:00:00Z
if [ -f "$CH_DIR/data/generated.jsonl" ]; then
  check kq_gen "$CH_URL1" "$CH_DIR/data/generated.jsonl" 2026-03-01T12:00:00Z
  python3 "$CH_SOURCE/tests/e2e/compare_seed_groups.py" "$WORK/kq_gen.ch.jsonl" "$CH_DIR/data/generated.jsonl.expected.json"
  echo "ok: kq_gen equals the generator's expected groups"
else
  echo "note: ../shared/tools/gen_devicenetworkevents.py absent; checked the bundled demo data only"
fi
