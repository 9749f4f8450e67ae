#!/usr/bin/env bash
# --functions and --schema through the CLI with project-authored definitions (tests/data/functions): Sentinel
# parser YAML (both layouts) and `.create` control commands, used by query, lint, hunt and test.
# Usage: workspace_functions.sh KQLITE_BINARY SOURCE_DIR
set -euo pipefail
KQLITE=$1
D=$2/tests/data/functions
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
expect_eq() {  # name expected actual (CSV output ends lines with CRLF)
  if [ "$2" != "$(printf '%s' "$3" | tr -d '\r')" ]; then
    printf 'FAIL: %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3"
    exit 1
  fi
  echo "ok: $1"
}

# query: the unifying parser (no parentheses, defaults), named arguments, and the older FunctionAlias layout.
out=$("$KQLITE" query 'imMiniNetworkSession | sort by TimeGenerated asc | project SrcIpAddr, DstIpAddr, DstPortNumber, EventResult, NetworkDirection, DvcHostname' \
  --format csv --functions "$D/parsers" --table "DeviceNetworkEvents=$D/DeviceNetworkEvents.jsonl")
expect_eq "query imMiniNetworkSession" "SrcIpAddr,DstIpAddr,DstPortNumber,EventResult,NetworkDirection,DvcHostname
10.1.4.17,203.0.113.40,443,Success,Outbound,ws-017
10.1.4.17,198.51.100.7,8080,Failure,Outbound,ws-017
10.1.4.17,10.1.9.2,1433,Success,Inbound,srv-db01
10.1.4.17,203.0.113.41,443,Success,Outbound,ws-017" "$out"

out=$("$KQLITE" query '_Im_MiniNetworkSession(dstportnumber=1433, eventresult="Success") | project SrcProcessName' \
  --format csv --functions "$D/parsers" --table "DeviceNetworkEvents=$D/DeviceNetworkEvents.jsonl")
expect_eq "query alias with named arguments" "SrcProcessName
sqlservr.exe" "$out"

out=$("$KQLITE" query 'imMiniProcessCreate(dynamic(["-enc"])) | project DvcHostname, ActorUsername' \
  --format csv --functions "$D/parsers/vimMiniProcessCreateDefender.yaml" \
  --table "DeviceProcessEvents=$D/DeviceProcessEvents.jsonl")
expect_eq "query FunctionAlias layout" 'DvcHostname,ActorUsername
ws-017.contoso.local,contoso\j.doe' "$out"

# query: a custom table and functions from control commands (--schema declares the table's types).
out=$("$KQLITE" query 'DeniedSources | order by SrcIp asc' --format csv --schema "$D/workspace.kql" \
  --table "FirewallLogs_CL=$D/FirewallLogs_CL.jsonl")
expect_eq "query .create function over a .create table" "SrcIp,Denied
10.1.4.17,1
10.1.9.2,1" "$out"

# lint: without the definitions the names are unknown; with them the query binds.
printf 'imMiniNetworkSession\n| join kind=inner (DeniedFlows(445)) on $left.SrcIpAddr == $right.SrcIp\n' >"$WORK/q.kql"
if "$KQLITE" lint "$WORK/q.kql" >"$WORK/lint1.txt"; then fail "lint without --functions should fail"; fi
grep -q "imMiniNetworkSession" "$WORK/lint1.txt" || fail "lint names the unknown function: $(cat "$WORK/lint1.txt")"
"$KQLITE" lint "$WORK/q.kql" --functions "$D/parsers" --schema "$D/workspace.kql" >"$WORK/lint2.txt" \
  || fail "lint with definitions: $(cat "$WORK/lint2.txt")"
echo "ok: lint with --functions and --schema"

# hunt and test: a rule calling the parser.
"$KQLITE" hunt "$D/rules/mini_rmm_session.yaml" --functions "$D/parsers" --now 2024-05-01T12:00:00Z \
  --format jsonl --data "$D/DeviceNetworkEvents.jsonl" >"$WORK/alerts.jsonl" 2>"$WORK/hunt.err" \
  || fail "hunt: $(cat "$WORK/hunt.err")"
[ "$(wc -l <"$WORK/alerts.jsonl")" -eq 1 ] || fail "hunt raises one alert: $(cat "$WORK/alerts.jsonl" "$WORK/hunt.err")"
grep -q '"ws-017"' "$WORK/alerts.jsonl" || fail "the alert is for ws-017: $(cat "$WORK/alerts.jsonl")"
echo "ok: hunt with --functions"
"$KQLITE" test "$D/rules/mini_rmm_session.tests.yaml" --functions "$D/parsers" >"$WORK/test.txt" \
  || fail "test: $(cat "$WORK/test.txt")"
grep -q "2 passed, 0 failed" "$WORK/test.txt" || fail "test: $(cat "$WORK/test.txt")"
echo "ok: test with --functions"

# A missing path is a usage error.
if "$KQLITE" query 'print 1' --functions "$WORK/none" 2>"$WORK/err.txt"; then fail "missing --functions path"; fi
grep -q "no such file or folder" "$WORK/err.txt" || fail "missing path message: $(cat "$WORK/err.txt")"
echo "ok: missing --functions path"
