#!/usr/bin/env bash
# `kqlite query` over a query returning several tables (fork, facet): the table format prints each under a
# '== name ==' heading; csv/jsonl/json refuse to put several tables in one output (exit 2, naming --out DIR/);
# --out DIR/ writes DIR/<name>.<ext> per table; --explain prints each table's plan.
# Usage: query_multi_result.sh KQLITE
set -euo pipefail
kqlite="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $1"; echo "--- got:"; echo "$2"; exit 1; }
printf '{"DeviceName":"web01","FileName":"cmd.exe"}\n{"DeviceName":"web01","FileName":"powershell.exe"}\n{"DeviceName":"db01","FileName":"cmd.exe"}\n' > "$dir/events.jsonl"
facet='Events | facet by DeviceName, FileName with (where FileName == "cmd.exe" | project DeviceName)'

got="$("$kqlite" query --no-progress --table "Events=$dir/events.jsonl" "$facet | sort by DeviceName asc" 2>&1 || true)"
case "$got" in *"must be the last operator"*) ;; *) fail "facet followed by sort must fail" "$got" ;; esac

got="$("$kqlite" query --no-progress --table "Events=$dir/events.jsonl" "$facet")"
want=$'== Table_0 ==\nDeviceName\n----------\nweb01\ndb01\n\n== DeviceName ==\nDeviceName  count_DeviceName\n----------  ----------------\nweb01       2\ndb01        1\n\n== FileName ==\nFileName        count_FileName\n--------------  --------------\ncmd.exe         2\npowershell.exe  1'
[ "$got" = "$want" ] || fail "table format" "$got"

for format in csv jsonl json; do
  if got="$("$kqlite" query --no-progress --format "$format" --table "Events=$dir/events.jsonl" "$facet" 2>&1)"; then
    fail "$format to one output must fail" "$got"
  else
    code=$?
  fi
  [ "$code" = 2 ] || fail "$format exit code $code" "$got"
  case "$got" in *"returns 3 tables"*"--out DIR/"*) ;; *) fail "$format message" "$got" ;; esac
done

"$kqlite" query --no-progress --format csv --out "$dir/out/" --table "Events=$dir/events.jsonl" \
  'Events | fork Devices = (summarize n = count() by DeviceName | sort by DeviceName asc) (count)'
[ "$(cat "$dir/out/Devices.csv")" = $'DeviceName,n\ndb01,1\nweb01,2' ] || fail "Devices.csv" "$(cat "$dir/out/Devices.csv")"
[ "$(cat "$dir/out/Table_1.csv")" = $'Count\n3' ] || fail "Table_1.csv" "$(cat "$dir/out/Table_1.csv")"

got="$("$kqlite" query --explain --table "Events=$dir/events.jsonl" "$facet")"
case "$got" in "-- Table_0"*"-- DeviceName"*"-- FileName"*) ;; *) fail "explain" "$got" ;; esac
echo "ok"
