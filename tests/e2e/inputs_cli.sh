#!/usr/bin/env bash
# The CLI side of real inputs (docs/errors.md "Inputs"): a data path that loads no rows is an error (exit 2);
# an unreadable folder or file is an error (as nobody when run as root); standard input (plain and gzip) via
# --table NAME=-; `schema --data` shows files, tables, row counts and columns;
# bad values are summarised one line per table and column (all of them with --show-bad-values); a file that
# matches no table is named once with the --table hint. Results are identical at 1, 2 and 8 threads.
# Usage: inputs_cli.sh KQLITE_BINARY
set -euo pipefail
KQLITE=$1
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# A header-only CSV and an empty JSON file load nothing: exit 2 with the file named.
printf 'DeviceName,RemotePort\n' >"$WORK/empty.csv"
set +e
"$KQLITE" query 'T | count' --table T="$WORK/empty.csv" >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
[ "$code" = 2 ] || fail "header-only CSV: exit $code, want 2"
grep -q "no rows loaded for table T from $WORK/empty.csv" "$WORK/err" ||
  fail "header-only CSV message: $(cat "$WORK/err")"
: >"$WORK/DeviceNetworkEvents.jsonl"
set +e
"$KQLITE" query 'DeviceNetworkEvents | count' --data "$WORK/DeviceNetworkEvents.jsonl" >"$WORK/out" 2>"$WORK/err"
code=$?
set -e
[ "$code" = 2 ] || fail "empty JSON: exit $code, want 2"
rm "$WORK/DeviceNetworkEvents.jsonl" "$WORK/empty.csv"

# An unreadable folder or file under --data is an error naming it (exit 2), never skipped. As root (CI containers),
# the check runs as nobody, for whom a 0700 folder of root's is unreadable (RealInputs.UnreadableFolderIsAnError skips).
as_reader=()
if [ "$(id -u)" = 0 ]; then
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups "$KQLITE" --version \
       >/dev/null 2>&1; then
    as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    as_reader=(skip)
    echo "note: the unreadable-folder check is skipped (root, and setpriv cannot run kqlite as nobody)"
  fi
fi
if [ "${as_reader[0]:-}" != skip ]; then
  mkdir -p "$WORK/perm/data/locked"
  printf '{"DeviceName":"a"}\n' >"$WORK/perm/data/DeviceNetworkEvents.jsonl"
  printf '{"DeviceName":"b"}\n' >"$WORK/perm/data/locked/DeviceNetworkEvents_2.jsonl"
  printf '{"DeviceName":"c"}\n' >"$WORK/perm/DeviceProcessEvents.jsonl"
  chmod 755 "$WORK" "$WORK/perm" "$WORK/perm/data"
  chmod 644 "$WORK/perm/data/DeviceNetworkEvents.jsonl"
  chmod 700 "$WORK/perm/data/locked"
  chmod 600 "$WORK/perm/DeviceProcessEvents.jsonl"
  set +e
  "${as_reader[@]}" "$KQLITE" query 'DeviceNetworkEvents | count' --data "$WORK/perm/data" >"$WORK/out" 2>"$WORK/err"
  code=$?
  set -e
  [ "$code" = 2 ] || fail "unreadable folder: exit $code, want 2: $(cat "$WORK/out" "$WORK/err")"
  grep -q "Cannot read directory: $WORK/perm/data/locked (Permission denied)" "$WORK/err" ||
    fail "unreadable folder message: $(cat "$WORK/err")"
  set +e
  "${as_reader[@]}" "$KQLITE" query 'DeviceProcessEvents | count' --data "$WORK/perm" >"$WORK/out" 2>"$WORK/err"
  code=$?
  set -e
  [ "$code" = 2 ] || fail "unreadable file: exit $code, want 2: $(cat "$WORK/out" "$WORK/err")"
  grep -q "Cannot read file: $WORK/perm/DeviceProcessEvents.jsonl (Permission denied)" "$WORK/err" ||
    fail "unreadable file message: $(cat "$WORK/err")"
  chmod -R u+rwX "$WORK/perm" && rm -rf "$WORK/perm"
  chmod 700 "$WORK"
fi

# Standard input, plain CSV and gzip-compressed JSON lines.
# (CSV output ends lines with CRLF, RFC 4180.)
out=$(printf 'Host,Hits\na,1\nb,2\n' | "$KQLITE" query 'T | summarize sum(Hits)' --table T=- --format csv | tr -d '\r')
[ "$out" = $'sum_Hits\n3' ] || fail "stdin csv: $out"
out=$(printf '{"Host":"a","Hits":5}\n{"Host":"b","Hits":6}\n' | gzip | "$KQLITE" query 'T | summarize sum(Hits)' \
      --table T=- --format csv | tr -d '\r')
[ "$out" = $'sum_Hits\n11' ] || fail "stdin gzip jsonl: $out"

# The three messy inputs of the real-inputs issue, each counted as a long through the CLI: a JSON-lines file with a
# UTF-8 BOM, a JSON array file, and a folder holding TotalDeviceNetworkEvents_export.csv.
mkdir -p "$WORK/messy/folder"
row1='{"Timestamp":"2024-10-09T10:00:00Z","DeviceName":"dc01","RemoteUrl":"a.example"}'
row2='{"Timestamp":"2024-10-09T10:01:00Z","DeviceName":"dc01","RemoteUrl":"b.example"}'
printf '\xef\xbb\xbf%s\n%s\n' "$row1" "$row2" >"$WORK/messy/DeviceNetworkEvents.jsonl"
printf '[%s,\n%s]\n' "$row1" "$row2" >"$WORK/messy/DeviceNetworkEvents.json"
printf 'Timestamp,DeviceName,RemoteUrl\r\n2024-10-09T10:00:00Z,dc01,a.example\r\n2024-10-09T10:01:00Z,dc01,b.example\r\n' \
  >"$WORK/messy/folder/TotalDeviceNetworkEvents_export.csv"
for path in "$WORK/messy/DeviceNetworkEvents.jsonl" "$WORK/messy/DeviceNetworkEvents.json" "$WORK/messy/folder"; do
  out=$("$KQLITE" query 'DeviceNetworkEvents | count' --data "$path" --format jsonl)
  [ "$out" = '{"Count":2}' ] || fail "count of $path: $out"
  # CSV as a shell pipeline reads it: the last line is the count itself, with no carriage return.
  out=$("$KQLITE" query 'DeviceNetworkEvents | count' --data "$path" --format csv | tail -n 1)
  [ "$out" = 2 ] || fail "csv count of $path: $(printf '%s' "$out" | od -c | head -1)"
done
# --data given the Log Analytics file itself (TotalDeviceNetworkEvents.csv): its table from the name, and its
# AccountName column (not in the built-in schema) queryable. Tab-separated text on standard input.
printf 'TimeGenerated,DeviceName,RemoteUrl,AccountName\r\n2024-10-09T10:00:00Z,dc01,a.example,alice\r\n2024-10-09T10:01:00Z,dc01,b.example,bob\r\n' \
  >"$WORK/messy/TotalDeviceNetworkEvents.csv"
out=$("$KQLITE" query 'DeviceNetworkEvents | where AccountName == "bob" | project RemoteUrl' \
      --data "$WORK/messy/TotalDeviceNetworkEvents.csv" --format csv | tr -d '\r')
[ "$out" = $'RemoteUrl\nb.example' ] || fail "TotalDeviceNetworkEvents.csv AccountName: $out"
out=$(printf 'DeviceName\tRemotePort\nws1\t443\nws2\t8443\n' |
      "$KQLITE" query 'T | summarize sum(RemotePort)' --table T=- --format csv | tr -d '\r')
[ "$out" = $'sum_RemotePort\n8886' ] || fail "stdin tsv: $out"
printf 'DeviceName\tRemotePort\nws1\t443\n' >"$WORK/messy/DeviceNetworkEvents.tsv"
out=$("$KQLITE" query 'DeviceNetworkEvents | count' --data "$WORK/messy/DeviceNetworkEvents.tsv" --format jsonl)
[ "$out" = '{"Count":1}' ] || fail "tsv file: $out"
rm -rf "$WORK/messy"

# The built-in pack (its Teramind rules included) is quiet on Windows' own dwm.exe and svchost.exe on a domain
# controller, and alerts on a real Teramind agent beside them.
mkdir -p "$WORK/dc"
cat >"$WORK/dc/DeviceProcessEvents.jsonl" <<'JSON'
{"Timestamp":"2024-10-09T13:11:00Z","DeviceId":"d1","DeviceName":"dc01.corp.example","FileName":"dwm.exe","FolderPath":"C:\\Windows\\System32\\dwm.exe","ProcessCommandLine":"\"dwm.exe\"","ProcessVersionInfoCompanyName":"Microsoft Corporation","ProcessVersionInfoOriginalFileName":"dwm.exe","InitiatingProcessFileName":"winlogon.exe","AccountName":"dwm-1","ReportId":12}
{"Timestamp":"2024-10-09T13:12:00Z","DeviceId":"d1","DeviceName":"dc01.corp.example","FileName":"svchost.exe","FolderPath":"C:\\Windows\\System32\\svchost.exe","ProcessCommandLine":"svchost.exe -k netsvcs","ProcessVersionInfoCompanyName":"Microsoft Corporation","InitiatingProcessFileName":"services.exe","AccountName":"system","ReportId":13}
JSON
set +e
"$KQLITE" hunt --data "$WORK/dc" --now 2024-10-09T15:00:00Z --format jsonl >"$WORK/alerts" 2>"$WORK/err"
code=$?
set -e
[ "$code" = 0 ] || fail "built-in pack over a DC's Windows binaries: exit $code: $(tail -5 "$WORK/err")"
[ ! -s "$WORK/alerts" ] || fail "the built-in pack alerted on Windows binaries: $(head -c 600 "$WORK/alerts")"
rm -rf "$WORK/dc"

# Discovery, schema --data, bad values and the unmatched-file note.
mkdir -p "$WORK/data"
{
  echo 'Timestamp,DeviceName,RemotePort,ReportId,AccountName'
  for i in $(seq 1 30); do
    if [ $((i % 3)) = 0 ]; then id="107407f9c2$i"; else id=$i; fi
    echo "2024-10-09T10:00:00Z,ws$i,$((400 + i)),$id,user$i"
  done
} >"$WORK/data/clickfix_rule_DeviceNetworkEvents.csv"
printf 'Foo,Bar\n1,2\n' >"$WORK/data/notes.csv"
"$KQLITE" schema --data "$WORK/data" >"$WORK/schema" 2>"$WORK/schema.err"
grep -q "clickfix_rule_DeviceNetworkEvents.csv -> DeviceNetworkEvents (file name)" "$WORK/schema" ||
  fail "schema files: $(cat "$WORK/schema")"
grep -q "notes.csv -> notes (unmatched)" "$WORK/schema" || fail "schema unmatched: $(cat "$WORK/schema")"
grep -q "DeviceNetworkEvents: 30 rows from 1 file" "$WORK/schema" || fail "schema rows: $(cat "$WORK/schema")"
grep -q "    AccountName:string" "$WORK/schema" || fail "schema extra column: $(cat "$WORK/schema")"
[ "$(grep -c "notes.csv: no known table" "$WORK/schema.err")" = 1 ] || fail "unmatched note: $(cat "$WORK/schema.err")"
# --table always wins over the table in the file's name.
"$KQLITE" schema --table MyNet="$WORK/data/clickfix_rule_DeviceNetworkEvents.csv" >"$WORK/schema" 2>/dev/null
grep -q "clickfix_rule_DeviceNetworkEvents.csv -> MyNet (forced)" "$WORK/schema" || fail "forced: $(cat "$WORK/schema")"
grep -q "MyNet: 30 rows from 1 file" "$WORK/schema" || fail "forced rows: $(cat "$WORK/schema")"
for threads in 1 2 8; do
  "$KQLITE" query 'DeviceNetworkEvents | summarize n=count(), ids=countif(isnotnull(ReportId)) by AccountName
      | summarize sum(n), sum(ids), dcount(AccountName)' --data "$WORK/data" --threads $threads --format csv \
      >"$WORK/out.$threads" 2>"$WORK/err.$threads"
done
[ "$(tr -d '\r' <"$WORK/out.1")" = $'sum_n,sum_ids,dcount_AccountName\n30,20,30' ] ||
  fail "bad values rows: $(cat "$WORK/out.1")"
cmp -s "$WORK/out.1" "$WORK/out.2" && cmp -s "$WORK/out.1" "$WORK/out.8" || fail "results differ across threads"
[ "$(grep -c 'DeviceNetworkEvents.ReportId: 10 values not long' "$WORK/err.2")" = 1 ] ||
  fail "summary: $(cat "$WORK/err.2")"
[ "$(grep -c '107407f9' "$WORK/err.2")" = 1 ] || fail "bad values listed without the flag: $(cat "$WORK/err.2")"
"$KQLITE" query 'DeviceNetworkEvents | summarize max(ReportId)' --data "$WORK/data" --show-bad-values \
    >/dev/null 2>"$WORK/err"
[ "$(grep -c 'Cannot convert value to long in column ReportId' "$WORK/err")" = 10 ] ||
  fail "--show-bad-values: $(cat "$WORK/err")"
echo "ok"
