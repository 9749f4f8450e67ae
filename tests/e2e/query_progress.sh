#!/usr/bin/env bash
# `kqlite query` draws a progress line on stderr for queries over a second when stderr is a terminal (share of the
# input, bytes read of the input's size and MB/s over files, rows, rows/s, time left), erases it when the query
# ends, and draws nothing off a terminal, with --no-progress or KQLITE_PROGRESS=0. KQLITE_PROGRESS=1 stands in for
# a terminal; `script` gives a real one.
# Usage: query_progress.sh <kqlite binary>
set -u
KQLITE="$1"
source "$(dirname "$0")/e2e_common.sh"
# About half a second of work in a Release build (SHA-256 of two million strings), longer under the sanitizers; the
# line appears after 100 ms instead of a second (KQLITE_PROGRESS_AFTER_MS), so the test stays short.
export KQLITE_PROGRESS_AFTER_MS=100
SLOW='range x from 1 to 2000000 step 1 | extend h = hash_sha256(tostring(x)) | summarize n = count() by c = substring(h, 0, 1) | count'

KQLITE_PROGRESS=1 "$KQLITE" query "$SLOW" --format csv >"$WORK/out" 2>"$WORK/err" || fail "query exited $?: $(cat "$WORK/err")"
[ "$(tail -n 1 "$WORK/out" | tr -d '\r')" = 16 ] || fail "wrong result: $(cat "$WORK/out")"
grep -q "rows/s" "$WORK/err" || fail "no progress line on a (forced) terminal: $(cat -v "$WORK/err")"
grep -q "% of the input" "$WORK/err" || fail "the progress line has no share of the input: $(cat -v "$WORK/err")"
# The last thing written is the erasure, so the terminal is left clean.
[ "$(tail -c 4 "$WORK/err" | od -An -c | tr -d ' ')" = '\r033[K' ] || fail "the line is not erased: $(tail -c 20 "$WORK/err" | od -c)"

"$KQLITE" query "$SLOW" --format csv >"$WORK/out" 2>"$WORK/err" || fail "query exited $?"
[ ! -s "$WORK/err" ] || fail "progress written off a terminal: $(cat -v "$WORK/err")"
KQLITE_PROGRESS=1 "$KQLITE" query "$SLOW" --format csv --no-progress >"$WORK/out" 2>"$WORK/err" || fail "exited $?"
[ ! -s "$WORK/err" ] || fail "--no-progress still drew: $(cat -v "$WORK/err")"

# Over a file the line also shows the bytes read, of the file's size, and the byte rate: a JSON-lines file of about
# 37 MB (three byte-range morsels) read with a SHA-256 per row.
python3 - "$WORK/SigninLogs.jsonl" <<'PYTHON'
import sys
with open(sys.argv[1], "w") as out:
    for row in range(200000):
        result = "50126" if row % 9 == 0 else "0"
        out.write('{"TimeGenerated":"2024-10-09T14:%02d:%02d.%03dZ","UserPrincipalName":"user%d@contoso.example",'
                  '"IPAddress":"198.51.100.%d","ResultType":"%s","AppDisplayName":"Office 365 Exchange Online"}\n'
                  % (row // 60 % 60, row % 60, row % 1000, row * 7919 % 5000, row % 256, result))
PYTHON
size=$(stat -c %s "$WORK/SigninLogs.jsonl")
FILE_SLOW='SigninLogs | extend h = hash_sha256(strcat(UserPrincipalName, IPAddress, TimeGenerated))
  | summarize n = count() by c = substring(h, 0, 1) | count'
KQLITE_PROGRESS=1 KQLITE_PROGRESS_AFTER_MS=50 "$KQLITE" query "$FILE_SLOW" --data "$WORK/SigninLogs.jsonl" \
  --format csv >"$WORK/out" 2>"$WORK/err" || fail "file query exited $?: $(cat "$WORK/err")"
[ "$(tail -n 1 "$WORK/out" | tr -d '\r')" = 16 ] || fail "wrong file result: $(cat "$WORK/out")"
# "kqlite: 37% of the input · 15.2MB of 41.0MB · 30.1 MB/s · 118.6k rows · 234.5k rows/s · ETA 1s"
total="$(awk -v b="$size" 'BEGIN { printf "%.1fMB", b / 1e6 }')"
grep -qE "[0-9.]+[kMG]?B of $total · [0-9.]+ MB/s · " "$WORK/err" ||
  fail "the line over a file lacks bytes of $total and MB/s: $(tr '\r' '\n' <"$WORK/err" | tail -n 3 | cat -v)"

# A quick query draws nothing even on a terminal (with the real one-second wait).
KQLITE_PROGRESS=1 KQLITE_PROGRESS_AFTER_MS=1000 "$KQLITE" query 'print x = 1' --format csv >"$WORK/out" 2>"$WORK/err" || fail "exited $?"
[ ! -s "$WORK/err" ] || fail "a quick query drew a progress line: $(cat -v "$WORK/err")"

# A real terminal (util-linux `script`), output to a file so that streamed rows do not share the terminal.
if command -v script >/dev/null; then
  script -qec "$(printf '%q ' "$KQLITE" query "$SLOW" --format csv --out "$WORK/tty.csv")" /dev/null >"$WORK/tty" 2>&1 ||
    fail "query under script exited $?: $(cat -v "$WORK/tty")"
  grep -q "rows/s" "$WORK/tty" || fail "no progress line on a real terminal: $(cat -v "$WORK/tty")"
  [ "$(tail -n 1 "$WORK/tty.csv" | tr -d '\r')" = 16 ] || fail "wrong result under script: $(cat "$WORK/tty.csv")"
fi
finish "query progress line"
