#!/usr/bin/env bash
# CTest fixture of the external/clickhouse_* tests: start|stop the 2-shard test cluster in BUILD_DIR and load the
# test data (the bundled demo data, plus 20k generated rows when ../shared's generator is there).
# Usage: cluster_fixture.sh start|stop BUILD_DIR SOURCE_DIR KQLITE
set -euo pipefail
action=$1 BUILD=$2 SOURCE=$3 KQLITE=$4
CH_DIR=$BUILD/clickhouse_cluster
if [ "$action" = stop ]; then
  bash "$SOURCE/scripts/clickhouse_cluster.sh" stop "$CH_DIR"
  exit 0
fi
bash "$SOURCE/scripts/clickhouse_cluster.sh" stop "$CH_DIR" || true
rm -rf "$CH_DIR"
set +e
bash "$SOURCE/scripts/clickhouse_cluster.sh" start "$CH_DIR"
rc=$?
set -e
if [ $rc = 77 ]; then exit 77; fi
if [ $rc != 0 ]; then exit $rc; fi
URL1=$(sed -n 1p "$CH_DIR/urls") URL2=$(sed -n 2p "$CH_DIR/urls")
DATA=$CH_DIR/data
mkdir -p "$DATA"
cp "$SOURCE/data/demo/DeviceNetworkEvents.jsonl" "$DATA/demo.jsonl"
GEN=$SOURCE/../shared/tools/gen_devicenetworkevents.py
if [ -f "$GEN" ]; then
  python3 "$GEN" --rows 20000 --seed 11 --now 2026-03-01T12:00:00Z --hit-rate 0.005 --near-miss-rate 0.01 \
    --out "$DATA/generated.jsonl" >/dev/null
fi
# Two databases: the demo data (pinned now 2026-11-20) and the generated data (now 2026-03-01), each sharded.
"$KQLITE" load --clickhouse "$URL1/?database=kq_demo" --clickhouse "$URL2/?database=kq_demo" --cluster kq2 \
  --table DeviceNetworkEvents="$DATA/demo.jsonl"
if [ -f "$DATA/generated.jsonl" ]; then
  "$KQLITE" load --clickhouse "$URL1/?database=kq_gen" --clickhouse "$URL2/?database=kq_gen" --cluster kq2 \
    --table DeviceNetworkEvents="$DATA/generated.jsonl"
fi
# The same demo data on one server alone (no Distributed table).
"$KQLITE" load --clickhouse "$URL2/?database=kq_single" --table DeviceNetworkEvents="$DATA/demo.jsonl"
