#!/usr/bin/env bash
# The seed rule over data from the shared DeviceNetworkEvents generator must return exactly the groups of the
# generator's .expected.json (JSON lines, Streaming API envelope, and CSV), with 1 and 2 threads.
# Usage: seed_vs_generator.sh KQLITE_BINARY SOURCE_DIR. Exits 77 (skipped) when ../shared is absent.
set -euo pipefail
KQLITE=$1
SOURCE_DIR=$2
GEN=$SOURCE_DIR/../shared/tools/gen_devicenetworkevents.py
if [ ! -f "$GEN" ] || ! command -v python3 >/dev/null; then
  echo "skipped: $GEN or python3 not available"
  exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
NOW=2026-01-01T00:00:00Z
QUERY_FILE=$SOURCE_DIR/tests/e2e/seed_rule.kql
check() {
  local name=$1 file=$2 threads=$3
  "$KQLITE" query -f "$QUERY_FILE" --table DeviceNetworkEvents="$file" --now "$NOW" --threads "$threads" \
      --format jsonl >"$WORK/$name.out"
  python3 "$SOURCE_DIR/tests/e2e/compare_seed_groups.py" "$WORK/$name.out" "$file.expected.json"
  echo "ok: $name threads=$threads"
}
python3 "$GEN" --rows 30000 --hit-rate 0.004 --near-miss-rate 0.004 --out "$WORK/flat.jsonl" --now "$NOW" >/dev/null
python3 "$GEN" --rows 30000 --hit-rate 0.004 --near-miss-rate 0.004 --envelope --out "$WORK/envelope.jsonl" --now "$NOW" >/dev/null
python3 "$GEN" --rows 30000 --hit-rate 0.004 --near-miss-rate 0.004 --format csv --out "$WORK/flat.csv" --now "$NOW" >/dev/null
for threads in 1 2; do
  check flat "$WORK/flat.jsonl" "$threads"
  check envelope "$WORK/envelope.jsonl" "$threads"
done
if [ "${KQLITE_E2E_CSV:-1}" = 1 ]; then check csv "$WORK/flat.csv" 2; fi
