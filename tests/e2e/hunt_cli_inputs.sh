#!/usr/bin/env bash
# The hunt CLI on inputs as people have them: data given where rules go, options after positional arguments, runs that
# hunted nothing (exit 3, never a bare "No alerts"), data that ends before the window, ARM JSON rule exports and
# `kqlite convert` both ways. Usage: hunt_cli_inputs.sh <kqlite binary>
set -u
KQLITE="$1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run EXPECTED_EXIT ARGS...: runs kqlite, keeps stdout/stderr in $WORK/out and $WORK/err.
run() {
  local expected="$1"
  shift
  "$KQLITE" "$@" >"$WORK/out" 2>"$WORK/err"
  local code=$?
  if [ "$code" != "$expected" ]; then
    fail "kqlite $* exited $code, expected $expected"
    sed 's/^/  out: /' "$WORK/out" | head -20
    sed 's/^/  err: /' "$WORK/err" | head -20
  fi
}

expect_in() {  # expect_in FILE TEXT
  grep -qF -- "$2" "$WORK/$1" || { fail "$1 lacks: $2"; sed 's/^/  /' "$WORK/$1" | head -30; }
}

expect_not_in() {
  ! grep -qxF -- "$2" "$WORK/$1" || fail "$1 has the line: $2"
}

# --- data: process events of two hosts, messy paths; an export folder named as a real one ---------------------------
mkdir -p "$WORK/exports/dc 01" "$WORK/exports/ws"
cat >"$WORK/exports/dc 01/DeviceProcessEvents.jsonl" <<'EOF'
{"Timestamp":"2024-10-09T13:10:00Z","DeviceId":"d1","DeviceName":"dc01.corp.example","FileName":"rutserv.exe","FolderPath":"C:\\Program Files (x86)\\Remote Utilities - Host\\rutserv.exe","ProcessCommandLine":"\"rutserv.exe\" -service","ReportId":11}
{"Timestamp":"2024-10-09T13:11:00Z","DeviceId":"d1","DeviceName":"dc01.corp.example","FileName":"dwm.exe","FolderPath":"C:\\Windows\\System32\\dwm.exe","ProcessVersionInfoCompanyName":"Microsoft Corporation","ProcessVersionInfoOriginalFileName":"dwm.exe","ReportId":12}
EOF
cat >"$WORK/exports/ws/DeviceProcessEvents.jsonl" <<'EOF'
{"Timestamp":"2024-10-09T12:00:00Z","DeviceId":"d2","DeviceName":"ws-17","FileName":"svchost.exe","FolderPath":"C:\\Windows\\System32\\svchost.exe","ProcessVersionInfoCompanyName":"Microsoft Corporation","ReportId":21}
EOF
cat >"$WORK/rutserv.yaml" <<'EOF'
id: 6c1f0b7e-2a43-4e8e-9a51-0f3f6b1d2c77
name: Remote Utilities host service
description: rutserv.exe ran.
severity: Medium
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceProcessEvents
queryFrequency: 1d
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics:
  - CommandAndControl
relevantTechniques:
  - T1219
query: |
  DeviceProcessEvents
  | where FileName =~ "rutserv.exe"
  | project Timestamp, DeviceName, FileName, FolderPath
eventGroupingSettings:
  aggregationKind: AlertPerResult
kind: Scheduled
EOF
cat >"$WORK/network.yaml" <<'EOF'
id: 0a4e8b5c-77d1-4b0e-8f2a-5c9d3e1f6a22
name: Agent reaches evil domain
description: network
severity: Low
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceNetworkEvents
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
query: |
  DeviceNetworkEvents
  | where RemoteUrl has "evil.example"
kind: Scheduled
EOF
NOW=2024-10-09T15:00:00Z

# 1. Data given where rules go: say what to type, exit 2, hunt nothing.
run 2 hunt "$WORK/exports"
expect_in err "holds data and no rules"
expect_in err "kqlite hunt --data $WORK/exports"
run 2 hunt "$WORK/rutserv.yaml" "$WORK/exports/dc 01"
expect_in err "kqlite hunt $WORK/rutserv.yaml --data '$WORK/exports/dc 01'"

# 2. An option takes one value per occurrence: the rule file after --data stays a rule (every command).
run 0 hunt --data "$WORK/exports/dc 01" "$WORK/rutserv.yaml" --now "$NOW"
expect_in out "1 rule(s), 1 ran, 1 fired, 1 alert(s)"
run 0 hunt --data "$WORK/exports/dc 01" --data "$WORK/exports/ws" "$WORK/rutserv.yaml" --now "$NOW" --format jsonl
expect_in out "dc01.corp.example"
expect_in err "table DeviceProcessEvents: 3 events read"
run 0 query --data "$WORK/exports/ws" "DeviceProcessEvents | count" --format csv
expect_in out "1"
run 0 query --data "$WORK/exports/ws" --data "$WORK/exports/dc 01" "DeviceProcessEvents | count" --format csv
expect_in out "3"
run 0 lint "$WORK/rutserv.yaml" --format json
expect_in out "rutserv.yaml"
run 0 schema DeviceProcessEvents
expect_in out "FolderPath:string"

# 3. No rule ran: exit 3, the reason, never a bare "No alerts."
run 3 hunt "$WORK/network.yaml" --data "$WORK/exports" --now "$NOW" --format table
expect_in out "No alerts: none of the 1 rule(s) ran"
expect_not_in out "No alerts."
expect_in err "no rule ran"
expect_in err "1 rule(s) not run: table DeviceNetworkEvents is absent (no data given for it)"
# The built-in pack over a folder of tables it does not read (a ClickFix export).
mkdir -p "$WORK/clickfix"
printf 'Timestamp,DeviceName,RegistryKey,RegistryValueData\n2024-10-09T10:00:00Z,ws-3,HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RunMRU,powershell -w h iwr\n' \
  >"$WORK/clickfix/clickfix_rule_DeviceRegistryEvents.csv"
run 3 hunt --data "$WORK/clickfix" --now "$NOW" --format table
expect_not_in out "No alerts."
expect_in err "kqlite: nothing was hunted (exit 3)"
# A data path that loads no event.
: >"$WORK/DeviceProcessEvents.jsonl"
run 3 hunt "$WORK/rutserv.yaml" --data "$WORK/DeviceProcessEvents.jsonl" --now "$NOW"
expect_in err "the data given loaded no event"
# One of several data paths loads nothing: the rest is hunted, and the run still fails with 3.
mkdir -p "$WORK/empty_export" && : >"$WORK/empty_export/DeviceNetworkEvents.jsonl"
run 3 hunt "$WORK/rutserv.yaml" --data "$WORK/exports" --data "$WORK/empty_export" --now "$NOW" --format table
expect_in out "1 rule(s), 1 ran, 1 fired, 1 alert(s)"
expect_in err "--data $WORK/empty_export loaded no event"
# A data folder that holds no data file at all is an input error (exit 2) naming what it skipped.
mkdir -p "$WORK/notes" && echo "hunting notes" >"$WORK/notes/readme.txt"
run 2 hunt "$WORK/rutserv.yaml" --data "$WORK/exports" --data "$WORK/notes" --now "$NOW" --format table
expect_in err "No data files"
expect_in err "readme.txt"
# A rule folder without rules.
mkdir -p "$WORK/norules"
run 3 hunt "$WORK/norules" --data "$WORK/exports"
expect_in err "no rule files"

# 4. Data that ends before the window: the rule ran, found nothing, and the summary says how to fix the clock.
run 0 hunt "$WORK/rutserv.yaml" --data "$WORK/exports" --now 2026-12-01T00:00:00Z --format table
expect_in out "the data of DeviceProcessEvents ends 2024-10-09, 2 years before their window"
expect_in out "try --now latest"

# 5. ARM JSON exports: hunt, lint and convert both ways; the converted rule raises the same alerts.
run 0 convert "$WORK/rutserv.yaml" "$WORK/network.yaml" --out "$WORK/export.json"
expect_in err "converted 2 rule(s) to ARM JSON"
grep -qF '"queryPeriod": "P1D"' "$WORK/export.json" || fail "export.json lacks the ISO-8601 period"
grep -qF '"triggerOperator": "GreaterThan"' "$WORK/export.json" || fail "export.json lacks GreaterThan"
run 0 hunt "$WORK/export.json" --data "$WORK/exports" --now "$NOW" --format table
expect_in out "2 rule(s), 1 ran, 1 fired, 1 alert(s)"
run 0 lint "$WORK/export.json"
expect_in out "1 file(s) checked: 0 error(s)"
run 0 convert "$WORK/export.json" --out "$WORK/back"
[ -f "$WORK/back/remote_utilities_host_service.yaml" ] || fail "convert --to yaml wrote no remote_utilities_host_service.yaml"
run 0 hunt "$WORK/back/remote_utilities_host_service.yaml" --data "$WORK/exports" --now "$NOW" --format table
expect_in out "1 rule(s), 1 ran, 1 fired, 1 alert(s)"
run 0 convert "$WORK/back/remote_utilities_host_service.yaml" "$WORK/back/agent_reaches_evil_domain.yaml" --to arm \
  --out "$WORK/again.json"
cmp -s "$WORK/export.json" "$WORK/again.json" || fail "YAML -> ARM -> YAML -> ARM changed the template"
# A portal export of every rule also holds rules of kinds without a query (Fusion, ...): they are named and skipped,
# and the hunt of the others succeeds (it exited 1, as for a rule file that did not load).
cat >"$WORK/with_fusion.json" <<'EOF'
{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
 "contentVersion": "1.0.0.0", "parameters": {"workspace": {"type": "String"}},
 "resources": [
  {"id": "x", "name": "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/5b1c2d3e-4f50-4617-8293-a4b5c6d7e8f0')]",
   "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules", "kind": "Scheduled",
   "apiVersion": "2023-12-01-preview",
   "properties": {"displayName": "rutserv ran", "description": "", "severity": "Medium", "enabled": true,
     "query": "DeviceProcessEvents\n| where FileName =~ 'rutserv.exe'", "queryFrequency": "PT1H", "queryPeriod": "P1D",
     "triggerOperator": "GreaterThan", "triggerThreshold": 0, "suppressionDuration": "PT5H",
     "suppressionEnabled": false, "tactics": [], "techniques": []}},
  {"id": "y", "name": "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/BuiltInFusion')]",
   "type": "Microsoft.OperationalInsights/workspaces/providers/alertRules", "kind": "Fusion",
   "apiVersion": "2023-12-01-preview",
   "properties": {"alertRuleTemplateName": "f71aba3d-28fb-450b-b192-4e76a83015c8", "enabled": true}}]}
EOF
run 0 hunt "$WORK/with_fusion.json" --data "$WORK/exports" --now "$NOW" --format table
expect_in out "1 rule(s), 1 ran, 1 fired, 1 alert(s)"
expect_in err "KQLR108"
# A folder holding an ARM export is a rule folder, not data.
mkdir -p "$WORK/armrules" && cp "$WORK/export.json" "$WORK/armrules/"
run 0 hunt "$WORK/armrules" --data "$WORK/exports" --now "$NOW" --format table
expect_in out "2 rule(s), 1 ran"

# kqlite test reads a rule exported as ARM JSON; its options may come after the paths.
run 0 convert "$WORK/rutserv.yaml" --out "$WORK/rut.json"
cat >"$WORK/rut.tests.yaml" <<'EOF'
rule: rut.json
now: 2024-10-09T15:00:00Z
cases:
  - name: rutserv runs
    kind: true_positive
    events:
      DeviceProcessEvents: |
        {"Timestamp":"2024-10-09T13:10:00Z","DeviceName":"dc01","FileName":"rutserv.exe","FolderPath":"C:\\x\\rutserv.exe"}
    expect:
      alerts: 1
EOF
run 0 test "$WORK/rut.json" --filter 'rutserv*' -v
expect_in out "1 passed, 0 failed"

# 6. The exit codes are documented in --help.
run 0 hunt --help
expect_in out "3 nothing was hunted"
expect_in out "4 a rule did not finish within --timeout / --max-memory"

# 7. --timeout and --max-memory apply per rule: a self-join over generated rows (2,000 events each joined with
# every other on one device) does not finish, the cheap rule beside it still alerts, and the run exits 4.
mkdir -p "$WORK/many"
for i in $(seq 1 2000); do
  printf '{"Timestamp":"2024-10-09T13:%02d:00Z","DeviceId":"d1","DeviceName":"dc01","FileName":"f%d.exe","FolderPath":"C:\\x\\f%d.exe","ReportId":%d}\n' \
    $((i % 60)) "$i" "$i" "$i"
done >"$WORK/many/DeviceProcessEvents.jsonl"
sed -e 's/^id: .*/id: 9b1e0c55-7d2a-4f0e-8c1b-3e5a6d7f8a90/' -e 's/^name: .*/name: Exploding self-join/' \
  -e '/^query: |/,/^eventGroupingSettings:/c\
query: |\
  DeviceProcessEvents\
  | join kind=inner (DeviceProcessEvents | project DeviceId, Other = FileName) on DeviceId\
  | join kind=inner (DeviceProcessEvents | project DeviceId, Third = FileName) on DeviceId\
  | summarize count()\
eventGroupingSettings:' "$WORK/rutserv.yaml" >"$WORK/selfjoin.yaml"
cp "$WORK/exports/dc 01/DeviceProcessEvents.jsonl" "$WORK/many/rut.DeviceProcessEvents.jsonl"
run 4 hunt "$WORK/selfjoin.yaml" "$WORK/rutserv.yaml" --data "$WORK/many" --now "$NOW" --timeout 1s --format table
expect_in out "rule Exploding self-join: NOT FINISHED (query exceeded the time limit of 1 s; raise --timeout)"
expect_in out "rule Remote Utilities host service: 1 result row(s), 1 alert(s)"
expect_in out "2 rule(s), 1 ran, 1 did not finish, 1 fired, 1 alert(s)"
expect_in err "kqlite: 1 rule(s) did not finish within the limits:"
expect_in err "kqlite: the hunt is incomplete (exit 4)"
run 4 hunt "$WORK/selfjoin.yaml" "$WORK/rutserv.yaml" --data "$WORK/many" --now "$NOW" --max-memory 64M --format jsonl
expect_in out "dc01.corp.example"
expect_in err "rule Exploding self-join: NOT FINISHED (query exceeded the memory limit of 64 MiB in join"
# Ctrl-C stops the running rule: exit 130, the rules after it do not run. SIGINT is sent once the hunt has used a
# second of CPU, i.e. it is inside the self-join (a background job of a script ignores SIGINT until kqlite's handler
# is installed, so an early signal would be lost); --timeout bounds the test if it is.
"$KQLITE" hunt "$WORK/selfjoin.yaml" "$WORK/rutserv.yaml" --data "$WORK/many" --now "$NOW" --timeout 120s \
  --format table >"$WORK/out" 2>"$WORK/err" &
pid=$!
for _ in $(seq 1 1200); do
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo gone)
  [ "$ticks" = gone ] || [ "$ticks" -ge 100 ] && break
  sleep 0.1
done
kill -INT "$pid" 2>/dev/null
wait "$pid"
code=$?
[ "$code" = 130 ] || fail "Ctrl-C during a hunt: exit $code, want 130: $(tail -3 "$WORK/err")"
expect_in err "kqlite: error: hunt cancelled (the rules after the running one did not run)"
expect_in out "rule Exploding self-join: FAILED (query cancelled)"
run 2 hunt "$WORK/rutserv.yaml" --data "$WORK/many" --timeout soon
expect_in err "--timeout: not a duration"

# 8. A portal CSV with hex ReportIds and 'Invalid date' cells: rows kept, the summary names each table and column as
# `query` does (never "N bad records skipped").
mkdir -p "$WORK/portal"
{
  echo 'Timestamp,DeviceName,FileName,FolderPath,ProcessCommandLine,ReportId,ProcessCreationTime'
  for i in $(seq 1 12); do
    if [ $((i % 4)) = 0 ]; then id="107407f9c2$i"; else id=$i; fi
    echo "2024-10-09T13:$((10 + i)):00Z,dc01,rutserv.exe,C:\\x\\rutserv.exe,\"rutserv.exe\" -service,$id,Invalid date"
  done
} >"$WORK/portal/clickfix_rule_DeviceProcessEvents.csv"
sed 's/  | project Timestamp, DeviceName, FileName, FolderPath/  | project Timestamp, DeviceName, FileName, ReportId, ProcessCreationTime/' \
  "$WORK/rutserv.yaml" >"$WORK/rut_ids.yaml"
run 0 hunt "$WORK/rut_ids.yaml" --data "$WORK/portal" --now "$NOW" --format table
expect_in out "rule Remote Utilities host service: 12 result row(s), 12 alert(s)"
expect_in out "    DeviceProcessEvents.ReportId: 3 values not long (left null, rows kept), e.g. "
expect_in out "    DeviceProcessEvents.ProcessCreationTime: 12 values not datetime (left null, rows kept), e.g. "
expect_in out "0 bad record(s) skipped, 15 bad value(s) left null"
grep -qF "bad records skipped" "$WORK/out" && fail "the hunt summary still says 'bad records skipped'"
# --show-bad-values lists each value (stderr), as for `query`.
run 0 hunt "$WORK/rut_ids.yaml" --data "$WORK/portal" --now "$NOW" --format table --show-bad-values
[ "$(grep -c 'Cannot convert value to long in column ReportId' "$WORK/err")" = 3 ] ||
  fail "hunt --show-bad-values: $(cat "$WORK/err")"
[ "$(grep -c "clickfix_rule_DeviceProcessEvents.csv:[0-9]*:[0-9]*: .*ProcessCreationTime" "$WORK/err")" = 12 ] ||
  fail "hunt --show-bad-values (ProcessCreationTime): $(cat "$WORK/err")"

# 9. lint --data binds rules against the data's effective schema: a column only the export has (AccountName in a
# DeviceNetworkEvents export) lints clean with it and is an error without it; a column in neither stays an error.
mkdir -p "$WORK/netexport"
printf 'Timestamp,DeviceName,RemoteUrl,AccountName\n2024-10-09T13:10:00Z,dc01,c2.evil.example,alice\n' \
  >"$WORK/netexport/TotalDeviceNetworkEvents.csv"
sed 's/  | where RemoteUrl has "evil.example"/  | where RemoteUrl has "evil.example" and AccountName != "svc"/' \
  "$WORK/network.yaml" >"$WORK/account.yaml"
sed 's/  | where RemoteUrl has "evil.example"/  | where RemoteUrl has "evil.example" and NoSuchColumn != "svc"/' \
  "$WORK/network.yaml" >"$WORK/nosuch.yaml"
run 0 lint "$WORK/account.yaml" --data "$WORK/netexport"
expect_in out "1 file(s) checked: 0 error(s)"
run 1 lint "$WORK/account.yaml"
expect_in out "AccountName"
run 1 lint "$WORK/nosuch.yaml" --data "$WORK/netexport"
expect_in out "NoSuchColumn"
run 0 lint --table DeviceNetworkEvents="$WORK/netexport/TotalDeviceNetworkEvents.csv" "$WORK/account.yaml" --format json
run 2 lint "$WORK/account.yaml" --data "$WORK/no_such_folder"

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all hunt CLI input checks passed"
