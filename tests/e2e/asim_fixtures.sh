#!/usr/bin/env bash
# The ASIM parser mechanism with project-authored parsers in the Azure-Sentinel layout (tests/data/functions/asim):
# unifying parsers that read the ASimDisabledParsers watchlist and `union isfuzzy=true` legs of which some do not
# resolve (a missing custom table, a parser that is not loaded, a call with too many arguments, a missing column).
# The legs that resolve run; each skipped leg is named in a KQL2046 warning; an unloaded watchlist reads as empty
# (KQL2047); a loaded one disables parsers as in Sentinel. A network-session and a process-creation rule run
# end to end through `hunt` over Defender data. The real Azure-Sentinel parsers: e2e/asim_parsers.
# Usage: asim_fixtures.sh KQLITE_BINARY SOURCE_DIR
set -euo pipefail
KQLITE=$1
D=$2/tests/data/functions
source "$(dirname "$0")/e2e_common.sh"
stop() { fail "$@"; exit 1; }
# Compares a CSV result (lines end with CRLF) with the expected text.
expect_csv() {  # NAME EXPECTED ACTUAL
  [ "$2" = "$(printf '%s' "$3" | tr -d '\r')" ] || stop "$1: expected
$2
--- actual
$3"
  echo "ok: $1"
}
data=(--table "DeviceNetworkEvents=$D/DeviceNetworkEvents.jsonl" --table "DeviceProcessEvents=$D/DeviceProcessEvents.jsonl")

# The unifying network-session parser without arguments: the Defender leg's rows, the other legs skipped by name.
out=$("$KQLITE" query 'imFixtureNetworkSession | order by TimeGenerated asc | project NetworkDirection, EventResult, SrcIpAddr, DstIpAddr, DstPortNumber, SrcHostname, DvcHostname, SrcUsername' \
  --format csv --functions "$D/asim" "${data[@]}" 2>"$WORK/net.err")
expect_csv "imFixtureNetworkSession" 'NetworkDirection,EventResult,SrcIpAddr,DstIpAddr,DstPortNumber,SrcHostname,DvcHostname,SrcUsername
Outbound,Success,10.1.4.17,203.0.113.40,443,ws-017,ws-017,nt authority\system
Outbound,Failure,10.1.4.17,198.51.100.7,8080,ws-017,ws-017,contoso\j.doe
Inbound,Success,10.1.4.17,10.1.9.2,1433,,srv-db01,mssql
Outbound,Success,10.1.4.17,203.0.113.41,443,ws-017,ws-017,nt authority\system' "$out"
for expected in "skipped 'vimFixtureNetworkSessionFirewall'.*Unknown table: FixtureFirewall_CL" \
                "skipped 'vimFixtureNetworkSessionNotDeployed'.*KQL2003 Unknown function" \
                "skipped 'vimFixtureNetworkSessionOlder'.*KQL2004 Wrong number of arguments: 6 given for 2" \
                "KQL2047 .*Watchlist not loaded, read as empty: ASimDisabledParsers"; do
  grep -qE "$expected" "$WORK/net.err" || stop "warning '$expected' missing: $(cat "$WORK/net.err")"
done
[ "$(grep -c 'warning KQL2046' "$WORK/net.err")" -eq 3 ] || stop "three skipped legs: $(cat "$WORK/net.err")"
echo "ok: skipped legs are named in warnings"

# Parameters with defaults, by name, through the unifying parser and the built-in alias.
out=$("$KQLITE" query '_Im_FixtureNetworkSession(dstportnumber=443, hostname_has_any=dynamic(["ws-017"])) | summarize n = count() by SrcHostname' \
  --format csv --functions "$D/asim" "${data[@]}" 2>/dev/null)
expect_csv "_Im_FixtureNetworkSession(dstportnumber=443, hostname_has_any)" 'SrcHostname,n
ws-017,2' "$out"
out=$("$KQLITE" query 'imFixtureNetworkSession(eventresult="Failure") | project DstIpAddr' \
  --format csv --functions "$D/asim" "${data[@]}" 2>/dev/null)
expect_csv "imFixtureNetworkSession(eventresult)" 'DstIpAddr
198.51.100.7' "$out"

# The process-create parser (its Defender leg invokes a helper typed `table:(*)`): the leg reading a column Event
# lacks is skipped.
out=$("$KQLITE" query 'imFixtureProcessCreate(commandline_has_any=dynamic(["-enc"])) | project DvcHostname, DvcDomain, ActorUsername, EventProduct' \
  --format csv --functions "$D/asim" "${data[@]}" 2>"$WORK/proc.err")
expect_csv "imFixtureProcessCreate" 'DvcHostname,DvcDomain,ActorUsername,EventProduct
ws-017.contoso.local,contoso.local,contoso\j.doe,M365 Defender for Endpoint' "$out"
grep -q "skipped 'vimFixtureProcessCreateSysmon'.*SysmonCommandLine" "$WORK/proc.err" \
  || stop "Sysmon leg warning: $(cat "$WORK/proc.err")"
echo "ok: missing column leg skipped"

# lint binds the rules with the parsers (warnings only).
"$KQLITE" lint "$D/asim_rules" --functions "$D/asim" >"$WORK/lint.txt" || stop "lint: $(cat "$WORK/lint.txt")"
echo "ok: lint"

# hunt: both rules fire over Defender data.
"$KQLITE" hunt "$D/asim_rules" --functions "$D/asim" --now 2024-05-01T12:00:00Z --format jsonl \
  --data "$D/DeviceNetworkEvents.jsonl" --data "$D/DeviceProcessEvents.jsonl" >"$WORK/alerts.jsonl" 2>"$WORK/hunt.err" \
  || stop "hunt: $(cat "$WORK/hunt.err")"
[ "$(wc -l <"$WORK/alerts.jsonl")" -eq 2 ] || stop "two alerts: $(cat "$WORK/alerts.jsonl" "$WORK/hunt.err")"
grep -q '"Destinations":\["203.0.113.40","203.0.113.41"\]' "$WORK/alerts.jsonl" || stop "network alert: $(cat "$WORK/alerts.jsonl")"
grep -q '"TargetProcessCommandLine":"powershell.exe -nop -w hidden -enc SQBFAFgA"' "$WORK/alerts.jsonl" \
  || stop "process alert: $(cat "$WORK/alerts.jsonl")"
echo "ok: hunt raises the network-session and process-creation alerts"

# The ASimDisabledParsers watchlist disables the Defender process parser for imFixtureProcessCreate only (its
# SearchKey is the first column, CallerContext, as in Sentinel's watchlist).
"$KQLITE" hunt "$D/asim_rules" --functions "$D/asim" --now 2024-05-01T12:00:00Z --format jsonl \
  --watchlist "ASimDisabledParsers=$D/asim_rules/ASimDisabledParsers.csv" \
  --data "$D/DeviceNetworkEvents.jsonl" --data "$D/DeviceProcessEvents.jsonl" >"$WORK/alerts2.jsonl" 2>"$WORK/hunt2.err" \
  || stop "hunt with the watchlist: $(cat "$WORK/hunt2.err")"
[ "$(wc -l <"$WORK/alerts2.jsonl")" -eq 1 ] || stop "one alert: $(cat "$WORK/alerts2.jsonl" "$WORK/hunt2.err")"
grep -q 'RMM agent outbound TLS' "$WORK/alerts2.jsonl" || stop "the network alert stays: $(cat "$WORK/alerts2.jsonl")"
if grep -q "KQL2047" "$WORK/hunt2.err"; then stop "the watchlist is loaded: $(cat "$WORK/hunt2.err")"; fi
echo "ok: ASimDisabledParsers disables a source parser"
finish asim_fixtures
