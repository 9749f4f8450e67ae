#!/usr/bin/env bash
# The real ASIM parsers of the Azure-Sentinel repository, loaded with --functions, over Defender data: the
# Microsoft 365 Defender network-session and process-create sub-parsers run end to end, and a network-session
# rule and a process-creation rule that call them raise their alerts. The parsers are Microsoft's text and are
# not shipped: the test reads them from a copy of the repository and is skipped (77) without one.
# Usage: asim_parsers.sh KQLITE_BINARY SOURCE_DIR
# The copy: $KQL_AZURE_SENTINEL_DIR, else SOURCE_DIR/../shared/Azure-Sentinel, else SOURCE_DIR/../Azure-Sentinel
# (any folder holding Parsers/ASimNetworkSession/Parsers and Parsers/ASimProcessEvent/Parsers). With
# KQL_ASIM_PARSERS_DIR instead, every parser YAML in that one folder is loaded.
set -euo pipefail
KQLITE=$1
SOURCE_DIR=$2
D=$SOURCE_DIR/tests/data/functions
functions=()
if [ -n "${KQL_ASIM_PARSERS_DIR:-}" ] && [ -d "$KQL_ASIM_PARSERS_DIR" ]; then
  functions=(--functions "$KQL_ASIM_PARSERS_DIR")
else
  for root in "${KQL_AZURE_SENTINEL_DIR:-}" "$SOURCE_DIR/../shared/Azure-Sentinel" "$SOURCE_DIR/../Azure-Sentinel"; do
    if [ -n "$root" ] && [ -d "$root/Parsers/ASimNetworkSession/Parsers" ] && [ -d "$root/Parsers/ASimProcessEvent/Parsers" ]; then
      functions=(--functions "$root/Parsers/ASimNetworkSession/Parsers" --functions "$root/Parsers/ASimProcessEvent/Parsers")
      break
    fi
  done
fi
if [ ${#functions[@]} -eq 0 ]; then
  echo "skipped: no copy of the Azure-Sentinel ASIM parsers (set KQL_AZURE_SENTINEL_DIR to a checkout of"
  echo "         https://github.com/Azure/Azure-Sentinel, or KQL_ASIM_PARSERS_DIR to a folder of parser YAML)"
  exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
# The parsers' names changed over the repository's history (e.g. versioned _Im_..._Microsoft365DefenderV02):
# take the first name of the copy matching the pattern.
parser_name() {
  local dirs=()
  for ((i = 1; i < ${#functions[@]}; i += 2)); do dirs+=("${functions[$i]}"); done
  grep -rhoE "^(ParserName|EquivalentBuiltInParser|FunctionName): *($1)\b" "${dirs[@]}" 2>/dev/null \
    | sed 's/^[A-Za-z]*: *//' | sort | head -1 || true
}
NET=$(parser_name '_Im_NetworkSession_Microsoft365Defender[A-Za-z0-9]*')
[ -n "$NET" ] || NET=$(parser_name 'vimNetworkSessionMicrosoft365Defender[A-Za-z0-9]*')
PROC=$(parser_name '_Im_ProcessCreate_Microsoft365Defender[A-Za-z0-9]*|_Im_ProcessEvent_Microsoft365D[A-Za-z0-9]*')
[ -n "$PROC" ] || PROC=$(parser_name 'vimProcess(Create|Event)Microsoft365D[A-Za-z0-9]*')
[ -n "$NET" ] && [ -n "$PROC" ] || fail "the copy has no Microsoft 365 Defender network-session or process parser"
echo "parsers: $NET, $PROC"
data=(--table "DeviceNetworkEvents=$D/DeviceNetworkEvents.jsonl" --table "DeviceProcessEvents=$D/DeviceProcessEvents.jsonl")

# The Defender network-session sub-parser: every event of the sample, with the direction and the parameters.
out=$("$KQLITE" query "$NET"' | summarize n = count() by NetworkDirection, EventResult | order by NetworkDirection asc, EventResult asc' \
  --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/err1" | tr -d '\r') || fail "network-session sub-parser: $(cat "$WORK/err1")"
[ "$out" = "NetworkDirection,EventResult,n
Inbound,Success,1
Outbound,Failure,1
Outbound,Success,2" ] || fail "network-session sub-parser result: $out"
echo "ok: $NET"

out=$("$KQLITE" query "$NET"'(dstportnumber=443) | project SrcProcessName, DstIpAddr | order by DstIpAddr asc' \
  --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/err2" | tr -d '\r') || fail "with parameters: $(cat "$WORK/err2")"
[ "$out" = "SrcProcessName,DstIpAddr
tacticalrmm.exe,203.0.113.40
meshagent.exe,203.0.113.41" ] || fail "network-session sub-parser with dstportnumber: $out"
echo "ok: $NET(dstportnumber=443)"

# The Defender process sub-parser.
out=$("$KQLITE" query "$PROC"' | where TargetProcessCommandLine has "-enc" | project DvcHostname, ActorUsername, ActingProcessName' \
  --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/err3" | tr -d '\r') || fail "process sub-parser: $(cat "$WORK/err3")"
[ "$out" = 'DvcHostname,ActorUsername,ActingProcessName
ws-017.contoso.local,contoso\j.doe,C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE' ] \
  || fail "process sub-parser result: $out"
echo "ok: $PROC"

# A network-session rule and a process-creation rule written against the sub-parsers.
cat >"$WORK/net.kql" <<KQL
$NET(starttime = datetime(2024-05-01), dstportnumber = 443)
| where SrcProcessName in~ ("tacticalrmm.exe", "meshagent.exe")
| summarize Sessions = count(), Destinations = make_set(DstIpAddr) by SrcHostname
KQL
out=$("$KQLITE" query -f "$WORK/net.kql" --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/err4" | tr -d '\r') \
  || fail "network-session rule: $(cat "$WORK/err4")"
[ "$out" = 'SrcHostname,Sessions,Destinations
ws-017,2,"[""203.0.113.40"",""203.0.113.41""]"' ] || fail "network-session rule result: $out"
echo "ok: network-session rule"
cat >"$WORK/proc.kql" <<KQL
$PROC
| where TargetProcessName endswith "powershell.exe" and TargetProcessCommandLine has_any ("-enc", "-EncodedCommand")
| where ActingProcessName has_any ("WINWORD.EXE", "EXCEL.EXE")
| project EventStartTime, DvcHostname, ActorUsername, TargetProcessCommandLine
KQL
out=$("$KQLITE" query -f "$WORK/proc.kql" --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/err5" | tr -d '\r') \
  || fail "process-creation rule: $(cat "$WORK/err5")"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "process-creation rule result: $out"
echo "ok: process-creation rule"

# The unifying parsers: reported, not required (they need union isfuzzy=true and _GetWatchlist).
for parser in imNetworkSession imProcessCreate; do
  if "$KQLITE" query "$parser | count" "${functions[@]}" "${data[@]}" >"$WORK/u.out" 2>"$WORK/u.err"; then
    echo "ok: $parser runs: $(tail -1 "$WORK/u.out")"
  else
    echo "note: $parser does not run yet: $(grep -m1 -E 'error|KQL' "$WORK/u.err" || true)"
  fi
done
