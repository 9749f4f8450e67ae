#!/usr/bin/env bash
# Query output streams (docs/errors.md "Resource limits"): csv/jsonl/json rows are written as the query makes them,
# to stdout or --out FILE, so peak memory stays far below the output's size; the streamed bytes equal those of the
# materialised path (a sort first); --timeout, --max-memory and Ctrl-C still stop the query, and a partial output
# is reported as incomplete (exit 4 / 130). Usage: query_streaming.sh KQLITE_BINARY
set -u
KQLITE=$1
source "$(dirname "$0")/e2e_common.sh"

# Peak resident memory (KiB) of a command: GNU time when installed, else Python's rusage of the child.
peak_kib() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >"$WORK/out" 2>"$WORK/err"
    local code=$?
    tail -1 "$WORK/rss"
    return $code
  fi
  python3 -c 'import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=open(sys.argv[0] + "/out", "w"), stderr=open(sys.argv[0] + "/err", "w"))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)' "$WORK" "$@"
}

# A sanitizer build keeps freed memory in quarantine: the memory bound is only asserted on a normal build.
sanitized=0
grep -q __asan_init "$KQLITE" && sanitized=1
rows=30000000 scan_rows=2000000
[ "$sanitized" = 1 ] && rows=3000000 scan_rows=200000

# 1. 30 million generated rows to a CSV file: the output is ~640 MB, the process stays far below a third of it.
rss=$(peak_kib "$KQLITE" query "range x from 1 to $rows step 1 | extend s = strcat('row', x)" --format csv \
      --out "$WORK/big.csv") || fail "range to csv: exit $?: $(cat "$WORK/err")"
size=$(stat -c %s "$WORK/big.csv")
lines=$(wc -l <"$WORK/big.csv")
[ "$lines" = $((rows + 1)) ] || fail "big.csv has $lines lines, want $((rows + 1))"
[ "$(tail -1 "$WORK/big.csv" | tr -d '\r')" = "$rows,row$rows" ] || fail "big.csv ends with $(tail -1 "$WORK/big.csv")"
echo "range to csv: $size bytes written, peak RSS $rss KiB"
if [ "$sanitized" = 0 ] && [ $((rss * 1024 * 3)) -ge "$size" ]; then
  fail "peak RSS $rss KiB is not below a third of the $size-byte output"
fi
rm -f "$WORK/big.csv"

# 2. A generated CSV with quotes and commas scanned, filtered and extended to JSON lines: the output adds little
# to what reading the file takes (the reader maps the file; its pages count in RSS).
"$KQLITE" query "range x from 1 to $scan_rows step 1 | extend s = strcat('row, \"', x, '\"'), DeviceName = strcat('ws', x % 97)" \
  --format csv --out "$WORK/in.csv" || fail "writing in.csv"
query="T | where x % 3 != 0 | extend t = strcat(s, '!', DeviceName)"
base=$(peak_kib "$KQLITE" query "T | count" --table T="$WORK/in.csv" --format csv) || fail "count: $(cat "$WORK/err")"
rss=$(peak_kib "$KQLITE" query "$query" --table T="$WORK/in.csv" --format jsonl --out "$WORK/out.jsonl") ||
  fail "scan to jsonl: $(cat "$WORK/err")"
size=$(stat -c %s "$WORK/out.jsonl")
echo "scan to jsonl: $size bytes written, peak RSS $rss KiB (reading alone: $base KiB)"
if [ "$sanitized" = 0 ] && [ $(((rss - base) * 1024 * 3)) -ge "$size" ]; then
  fail "streaming added $((rss - base)) KiB, not below a third of the $size-byte output"
fi
[ "$(wc -l <"$WORK/out.jsonl")" = $((scan_rows - scan_rows / 3)) ] || fail "out.jsonl has $(wc -l <"$WORK/out.jsonl") lines"

# 3. The streamed bytes equal the materialised path's (a sort finishes first, then its rows are written), in every
# streaming format, at 1 and 4 threads, to stdout and to --out.
small="T | where x % 7 in (1, 3) and x < 200000 | extend t = strcat(s, '!', DeviceName)"
for format in csv jsonl json; do
  "$KQLITE" query "$small | order by x asc" --table T="$WORK/in.csv" --format $format --threads 4 \
    >"$WORK/sorted.$format" || fail "sorted $format"
  for threads in 1 4; do
    "$KQLITE" query "$small" --table T="$WORK/in.csv" --format $format --threads $threads \
      --out "$WORK/streamed.$format" || fail "streamed $format"
    cmp -s "$WORK/sorted.$format" "$WORK/streamed.$format" || fail "$format at $threads threads differs from the sort"
    "$KQLITE" query "$small" --table T="$WORK/in.csv" --format $format --threads $threads >"$WORK/stdout.$format"
    cmp -s "$WORK/sorted.$format" "$WORK/stdout.$format" || fail "$format on stdout at $threads threads differs"
  done
done

# 4. Limits still apply; a partial output is reported.
long="range x from 1 to 99000000 step 1 | extend s = strcat('row', x)"
"$KQLITE" query "$long" --format csv --timeout 1s --out "$WORK/partial.csv" >"$WORK/out" 2>"$WORK/err"
code=$?
[ "$code" = 4 ] || fail "--timeout while streaming: exit $code, want 4"
expect_in "$WORK/err" "query exceeded the time limit of 1 s"
expect_in "$WORK/err" "the output file $WORK/partial.csv is incomplete ("
[ -s "$WORK/partial.csv" ] || fail "the partial file is missing"
"$KQLITE" query "$long" --format jsonl --timeout 1s >"$WORK/partial.jsonl" 2>"$WORK/err"
code=$?
[ "$code" = 4 ] || fail "--timeout on stdout: exit $code, want 4"
expect_in "$WORK/err" "the output on standard output is incomplete ("
# Ctrl-C: exit 130 and the same report.
# SIGINT once rows are being written (a fixed delay raced a slow start on a busy machine: the signal came before
# the handler was installed and killed the process silently).
"$KQLITE" query "$long" --format csv --out "$WORK/interrupted.csv" >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 1 600); do
  [ -s "$WORK/interrupted.csv" ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid"
code=$?
[ "$code" = 130 ] || fail "Ctrl-C while streaming: exit $code, want 130"
expect_in "$WORK/err" "the output file $WORK/interrupted.csv is incomplete ("
# --max-memory: what a summarize holds is still charged; it stops before any row, so no file is made.
"$KQLITE" query "range x from 1 to 3000000 step 1 | summarize make_list(strcat('row', x))" --format csv \
  --max-memory 16M --out "$WORK/none.csv" >"$WORK/out" 2>"$WORK/err"
code=$?
[ "$code" = 4 ] || fail "--max-memory: exit $code, want 4"
expect_in "$WORK/err" "query exceeded the memory limit of 16 MiB in summarize"
[ ! -e "$WORK/none.csv" ] || fail "a query that wrote no row created its --out file"
# An --out that cannot be written.
"$KQLITE" query "range x from 1 to 3 step 1" --format csv --out "$WORK/no/such/dir.csv" >"$WORK/out" 2>"$WORK/err"
code=$?
[ "$code" = 2 ] || fail "unwritable --out: exit $code, want 2"
expect_in "$WORK/err" "cannot write $WORK/no/such/dir.csv"
finish query_streaming
