#!/usr/bin/env bash
# `kqlite query --format table` fits the terminal: with COLUMNS set, lines fit and long cells end in "…";
# --max-rows N prints N rows and "(showing N of M rows)"; without COLUMNS and off a terminal nothing is cut and
# every row prints; csv ignores both. Usage: query_table_fit.sh <kqlite binary>
set -u
KQLITE="$1"
source "$(dirname "$0")/e2e_common.sh"
for i in $(seq 1 1234); do
  printf '{"Timestamp":"2024-10-09T14:%02d:00Z","DeviceName":"ws-%d.corp.example","ProcessCommandLine":"\\"C:\\\\Program Files\\\\TacticalAgent\\\\tacticalrmm.exe\\" -m svc --id %d — ünïcode"}\n' \
    $((i % 60)) "$i" "$i"
done >"$WORK/DeviceProcessEvents.jsonl"
QUERY='DeviceProcessEvents | project DeviceName, ProcessCommandLine | order by DeviceName asc'

env COLUMNS=60 "$KQLITE" query "$QUERY" --data "$WORK" --max-rows 3 >"$WORK/out" 2>"$WORK/err" ||
  fail "query exited $?: $(cat "$WORK/err")"
[ "$(wc -l <"$WORK/out")" = 6 ] || fail "expected header, rule, 3 rows and a footer: $(cat "$WORK/out")"
grep -qxF "(showing 3 of 1,234 rows)" "$WORK/out" || fail "no footer: $(tail -1 "$WORK/out")"
grep -qxF "ws-1.corp.example    \"C:\\Program Files\\TacticalAgent\\tactic…" "$WORK/out" ||
  fail "the long cell is not cut at 60 columns: $(cat "$WORK/out")"
export LC_ALL=C.UTF-8  # ${#line} counts characters
while IFS= read -r line; do
  [ "${#line}" -le 60 ] || fail "wider than 60 columns (${#line}): $line"
done <"$WORK/out"

env -u COLUMNS "$KQLITE" query "$QUERY" --data "$WORK" >"$WORK/all" 2>"$WORK/err" || fail "query exited $?"
[ "$(wc -l <"$WORK/all")" = 1236 ] || fail "off a terminal every row prints, no footer: $(wc -l <"$WORK/all") lines"
grep -qF -- "--id 1234 — ünïcode" "$WORK/all" || fail "a cell was cut without COLUMNS"

env COLUMNS=20 "$KQLITE" query "$QUERY" --data "$WORK" --max-rows 0 --format csv >"$WORK/csv" 2>"$WORK/err"
[ "$(wc -l <"$WORK/csv")" = 1235 ] || fail "csv was cut: $(wc -l <"$WORK/csv") lines"

finish query_table_fit
