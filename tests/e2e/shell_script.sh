#!/usr/bin/env bash
# `kqlite shell` with standard input not a terminal runs a script: queries end at an empty line or at a ';' that
# ends a query statement (a `let ...;` only separates), dot-commands work, a failed query does not stop the
# script but makes the exit code 1, and the end of input runs the last query. Usage: shell_script.sh <kqlite>
set -u
KQLITE="$1"
source "$(dirname "$0")/e2e_common.sh"
mkdir -p "$WORK/data"
cat >"$WORK/data/DeviceProcessEvents.jsonl" <<'JSON'
{"Timestamp":"2024-10-09T14:02:11.5Z","DeviceName":"ws-017.corp.example","FileName":"powershell.exe","ProcessCommandLine":"powershell -enc SQBFAFgA; whoami"}
{"Timestamp":"2024-10-09T14:05:00Z","DeviceName":"ws-017.corp.example","FileName":"cmd.exe","ProcessCommandLine":"cmd /c \"echo a;b\""}
{"Timestamp":"2024-10-09T15:45:09Z","DeviceName":"SRV-DC01","FileName":"powershell.exe","ProcessCommandLine":"powershell.exe -nop -w hidden"}
JSON
printf 'Host,Owner\nws-017.corp.example,alice\nSRV-DC01,domain admins\n' >"$WORK/owners.csv"

cat >"$WORK/script.kql" <<'KQL'
// counts per device; the ';' inside the string does not end the query
let shell = "powershell.exe";
DeviceProcessEvents
| where FileName == shell and ProcessCommandLine has ";"
| project DeviceName, ProcessCommandLine;

.format csv
DeviceProcessEvents
| summarize n = count() by DeviceName
| order by DeviceName asc

.load Owners=OWNERS
.tables
.schema Owners
.now latest
print latest = now()
print nope = no_such_function(1);
.timing on
DeviceProcessEvents | where Timestamp > ago(1h) | count
KQL
sed -i "s|OWNERS|$WORK/owners.csv|" "$WORK/script.kql"
"$KQLITE" shell --data "$WORK/data" <"$WORK/script.kql" >"$WORK/out" 2>"$WORK/err"
code=$?
[ "$code" = 1 ] || fail "a failed query in the script must exit 1, got $code: $(cat "$WORK/err")"
expect_in "$WORK/out" "ws-017.corp.example  powershell -enc SQBFAFgA; whoami"
grep -qF "cmd /c" "$WORK/out" && fail "the where clause was cut at the ';' in the string"
expect_in "$WORK/out" "DeviceName,n"
expect_in "$WORK/out" "SRV-DC01,1"
expect_in "$WORK/out" "ws-017.corp.example,2"
expect_in "$WORK/out" "-> Owners"
expect_in "$WORK/out" "Owners  (1 file)"
expect_in "$WORK/out" "  Owner: string"
expect_in "$WORK/out" "now: 2024-10-09T15:45:09Z"
expect_in "$WORK/out" "2024-10-09T15:45:09Z"
expect_in "$WORK/err" "no_such_function"
# The last query ran at the end of input, after the failed one, with now pinned to the newest event.
expect_in "$WORK/out" "Count"
[ "$(tail -1 "$WORK/out" | tr -d "\r")" = 1 ] || fail "the last query (end of input, ago(1h) from the newest event) did not count 1 row: $(tail -3 "$WORK/out")"
expect_in "$WORK/err" "time: "

# fork and facet return several tables: each is printed under a '== name ==' heading, as by `kqlite query`, in the
# table format and (the shell being for people) in csv too.
cat >"$WORK/several.kql" <<'KQL'
DeviceProcessEvents
| facet by FileName with (where FileName == "cmd.exe" | project DeviceName)

.format csv
DeviceProcessEvents | fork Hosts = (summarize n = count() by DeviceName | sort by DeviceName asc) (count)
KQL
"$KQLITE" shell --data "$WORK/data" <"$WORK/several.kql" >"$WORK/several" 2>"$WORK/several.err" ||
  fail "the fork/facet script exited $?: $(cat "$WORK/several.err")"
want=$'== Table_0 ==\nDeviceName\n-------------------\nws-017.corp.example\n\n== FileName ==\nFileName        count_FileName\n--------------  --------------\npowershell.exe  2\ncmd.exe         1\n== Hosts ==\nDeviceName,n\nSRV-DC01,1\nws-017.corp.example,2\n\n== Table_1 ==\nCount\n3'
[ "$(cat "$WORK/several")" = "$want" ] || fail "fork/facet tables in the shell: $(cat -A "$WORK/several")"

# A clean script exits 0; .quit stops it.
printf 'print a = 1\n\n.quit\nprint never = 1\n' | "$KQLITE" shell >"$WORK/quit" 2>&1 || fail "clean script exited $?"
expect_in "$WORK/quit" "a"
grep -q never "$WORK/quit" && fail ".quit did not stop the script"
# A bad --data path is an input error (2) before any query runs.
printf 'print 1\n' | "$KQLITE" shell --data "$WORK/missing" >/dev/null 2>&1
[ "$?" = 2 ] || fail "a missing --data path must exit 2"
finish shell_script
