#!/usr/bin/env bash
# Hunting-at-scale benchmark: the seed rule alone (`kqlite query`) against the whole built-in rule pack
# (`kqlite hunt`, ~520 rules sharing one pass over the table) on the same generated DeviceNetworkEvents JSON-lines
# file, 1 and 2 threads. Several kqlite binaries can be compared (say, before and after a change): each round runs
# every (binary, workload, threads) triple once, interleaved, so all see the same machine load. Per triple it prints
# the median over RUNS rounds of wall seconds and of CPU seconds (user+sys: the steadier number on a shared
# machine), and with INSTRUCTIONS=1 the instructions one single-threaded run executes on a small file, counted by
# callgrind (perf's counters are often unavailable in VMs). Not part of the test suite.
# Usage: bench/hunt_pack.sh [ROWS] [RUNS]
#   env: KQLITE_BINS   space-separated NAME=PATH pairs (default: "current=build/kqlite")
#        KQLITE_BENCH_DIR  where generated data goes (default /tmp/kqlite-bench; keep it out of the repository)
#        CACHE=as-is       leave the file's page cache as it is (default: evict the file's pages and read it back,
#                          as a file read from disk is cached; a freshly generated file sits in the small folios its
#                          writes made, and mapping those costs ~0.35 s of kernel time per 1.9 GB on this kernel,
#                          against ~0.01 s for the large folios that reading makes)
#        INSTRUCTIONS=1    also count instructions with valgrind --tool=callgrind on a smaller file of
#                          INSTRUCTION_ROWS rows (default 50000: enough for the pack's literal matcher to switch to
#                          Hyperscan, which it does after 4 MiB)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
RUNS=${2:-5}
NOW=2026-01-01T00:00:00Z
DATA_DIR=${KQLITE_BENCH_DIR:-/tmp/kqlite-bench}
BINS=${KQLITE_BINS:-current=build/kqlite}
GEN=/work/shared/tools/gen_devicenetworkevents.py
[ -f "$GEN" ] || GEN=../shared/tools/gen_devicenetworkevents.py

# Generates ROWS rows once into DATA_DIR/ROWS/DeviceNetworkEvents.jsonl and prints the path.
data_file() {
  local file=$DATA_DIR/$1/DeviceNetworkEvents.jsonl
  if [ ! -f "$file" ]; then
    mkdir -p "$(dirname "$file")"
    python3 "$GEN" --rows "$1" --out "$file" --now "$NOW" --jobs 2 --no-expected >/dev/null
  fi
  echo "$file"
}

SEED=$(cat bench/seed_rule.kql)

# Sets CMD to one workload's command line: command_for BINARY WORKLOAD FILE THREADS.
command_for() {
  case $2 in
    seed) CMD=("$1" query "$SEED" --table DeviceNetworkEvents="$3" --now "$NOW" --threads "$4" --format jsonl) ;;
    pack) CMD=("$1" hunt --table DeviceNetworkEvents="$3" --now "$NOW" --threads "$4" --format jsonl) ;;
  esac
}

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

TIMES=$(mktemp -d)
trap 'rm -rf "$TIMES"' EXIT
FILE=$(data_file "$ROWS")
if [ "${CACHE:-read}" != as-is ]; then
  python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$FILE"
fi
cat "$FILE" >/dev/null  # warm the page cache
echo "file=$FILE rows=$ROWS size=$(( $(stat -c %s "$FILE") / 1000000 ))MB runs=$RUNS bins=$BINS"
for _ in $(seq "$RUNS"); do
  for workload in seed pack; do
    for threads in 1 2; do
      for pair in $BINS; do
        name=${pair%%=*}
        command_for "${pair#*=}" "$workload" "$FILE" "$threads"
        # A hunt that raises alerts exits with status 0 or 1 depending on flags; the output is not checked here.
        /usr/bin/time -f "%e %U %S" -o "$TIMES/last" "${CMD[@]}" >/dev/null 2>&1 || true
        awk '{printf "%s %.2f\n", $1, $2 + $3}' "$TIMES/last" >>"$TIMES/$name.$workload.$threads"
      done
    done
  done
done
printf '%-10s %-5s %-7s %10s %10s\n' binary load threads wall_s cpu_s
for pair in $BINS; do
  name=${pair%%=*}
  for workload in seed pack; do
    for threads in 1 2; do
      wall=$(cut -d' ' -f1 "$TIMES/$name.$workload.$threads" | median)
      cpu=$(cut -d' ' -f2 "$TIMES/$name.$workload.$threads" | median)
      printf '%-10s %-5s %-7s %10s %10s\n' "$name" "$workload" "$threads" "$wall" "$cpu"
      echo "$wall" >"$TIMES/$name.$workload.$threads.median"
    done
  done
  m() { cat "$TIMES/$name.$1.$2.median"; }
  awk -v name="$name" -v s1="$(m seed 1)" -v s2="$(m seed 2)" -v p1="$(m pack 1)" -v p2="$(m pack 2)" 'BEGIN {
    printf "%-10s pack / seed: %.2fx (1 thread), %.2fx (2 threads); 2-thread speed-up: seed %.2fx, pack %.2fx\n",
           name, p1 / s1, p2 / s2, s1 / s2, p1 / p2 }'
done

if [ "${INSTRUCTIONS:-0}" = 1 ]; then
  SMALL=$(data_file "${INSTRUCTION_ROWS:-50000}")
  printf '%-10s %-5s %16s   (callgrind, 1 thread, %s)\n' binary load instructions "$SMALL"
  for pair in $BINS; do
    for workload in seed pack; do
      command_for "${pair#*=}" "$workload" "$SMALL" 1
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "${CMD[@]}" >/dev/null 2>"$TIMES/callgrind" || true
      count=$(grep -o 'Collected : [0-9]*' "$TIMES/callgrind" | awk '{print $3}' | tail -1)
      printf '%-10s %-5s %16s\n' "${pair%%=*}" "$workload" "$count"
    done
  done
fi
