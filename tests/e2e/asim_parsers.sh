#!/usr/bin/env bash
# The real ASIM parsers of the Azure-Sentinel repository, loaded with --functions, over Defender data: the unifying
# parsers imNetworkSession and imProcessCreate (a `union isfuzzy=true` of every source parser, most of which do not
# resolve over Defender data alone and are skipped with a warning; the ASimDisabledParsers watchlist read as empty)
# and their Microsoft 365 Defender sub-parsers, then a network-session rule and a process-creation rule that call
# them run through `hunt`. The parsers are Microsoft's text and are not shipped: the test reads them from a copy of
# the repository and is skipped (77) without one. Project-authored parsers of the same structure: e2e/asim_fixtures.
# Usage: asim_parsers.sh KQLITE_BINARY SOURCE_DIR
# The copy: $KQL_AZURE_SENTINEL_DIR (a checkout, or `scripts/asim_parsers.sh export GIT_DIR OUT_DIR`), else
# SOURCE_DIR/../shared/Azure-Sentinel, else SOURCE_DIR/../Azure-Sentinel: any folder holding
# Parsers/ASimNetworkSession/Parsers and Parsers/ASimProcessEvent/Parsers (and ASIM/lib/functions, the helpers
# newer parsers invoke).
set -euo pipefail
KQLITE=$1
SOURCE_DIR=$2
D=$SOURCE_DIR/tests/data/functions
functions=()
for root in "${KQL_AZURE_SENTINEL_DIR:-}" "$SOURCE_DIR/../shared/Azure-Sentinel" "$SOURCE_DIR/../Azure-Sentinel"; do
  if [ -n "$root" ] && [ -d "$root/Parsers/ASimNetworkSession/Parsers" ] && [ -d "$root/Parsers/ASimProcessEvent/Parsers" ]; then
    functions=(--functions "$root/Parsers/ASimNetworkSession/Parsers" --functions "$root/Parsers/ASimProcessEvent/Parsers")
    [ -d "$root/ASIM/lib/functions" ] && functions+=(--functions "$root/ASIM/lib/functions")
    break
  fi
done
if [ ${#functions[@]} -eq 0 ]; then
  echo "skipped: no copy of the Azure-Sentinel ASIM parsers (set KQL_AZURE_SENTINEL_DIR to a checkout of"
  echo "         https://github.com/Azure/Azure-Sentinel, or to a folder made by scripts/asim_parsers.sh export)"
  exit 77
fi
source "$(dirname "$0")/e2e_common.sh"
stop() { fail "$@"; exit 1; }
data=(--table "DeviceNetworkEvents=$D/DeviceNetworkEvents.jsonl" --table "DeviceProcessEvents=$D/DeviceProcessEvents.jsonl")
run() {  # run NAME QUERY: the CSV result on stdout (CR removed); stops on failure
  local out
  out=$("$KQLITE" query "$2" --format csv "${functions[@]}" "${data[@]}" 2>"$WORK/$1.err") \
    || stop "$1: $(grep -m3 -E 'error' "$WORK/$1.err")"
  printf '%s' "$out" | tr -d '\r'
}

# The unifying network-session parser and its built-in name: every event of the sample, by direction and result.
for parser in imNetworkSession _Im_NetworkSession; do
  out=$(run "$parser" "$parser | summarize n = count() by NetworkDirection, EventResult | order by NetworkDirection asc, EventResult asc")
  [ "$out" = "NetworkDirection,EventResult,n
Inbound,Success,1
Outbound,Failure,1
Outbound,Success,2" ] || stop "$parser result: $out"
  echo "ok: $parser ($(grep -c 'KQL2046' "$WORK/$parser.err" || true) legs skipped with a warning)"
done
grep -q "KQL2047 .*ASimDisabledParsers" "$WORK/imNetworkSession.err" || stop "the watchlist warning: $(head -5 "$WORK/imNetworkSession.err")"

# Parameters with defaults, by name.
out=$(run params 'imNetworkSession(dstportnumber=443) | project SrcProcessName, DstIpAddr | order by DstIpAddr asc')
[ "$out" = "SrcProcessName,DstIpAddr
tacticalrmm.exe,203.0.113.40
meshagent.exe,203.0.113.41" ] || stop "imNetworkSession(dstportnumber=443): $out"
echo "ok: imNetworkSession(dstportnumber=443)"

# The unifying process-create parser. DvcHostname is the short name in newer parsers (_ASIM_ResolveDvcFQDN) and the
# FQDN in older ones.
out=$(run imProcessCreate 'imProcessCreate | where TargetProcessCommandLine has "-enc" | project DvcHostname, ActorUsername, ActingProcessName')
case "$out" in
  'DvcHostname,ActorUsername,ActingProcessName
ws-017'*',contoso\j.doe,C:\Program Files\Microsoft Office\root\Office16\WINWORD.EXE') ;;
  *) stop "imProcessCreate result: $out" ;;
esac
echo "ok: imProcessCreate"

# A network-session rule and a process-creation rule, as Sentinel rule YAML, through hunt.
mkdir "$WORK/rules"
cat >"$WORK/rules/net.yaml" <<'YAML'
id: 2f0c6f5e-1b1a-4c55-9f3e-7a0d8c1e2b01
name: RMM agent sessions (ASIM network session)
severity: Medium
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics: [CommandAndControl]
query: |
  imNetworkSession(starttime = ago(1d), dstportnumber = 443)
  | where SrcProcessName in~ ("tacticalrmm.exe", "meshagent.exe")
  | summarize Sessions = count(), Destinations = make_set(DstIpAddr) by SrcHostname
kind: Scheduled
YAML
cat >"$WORK/rules/proc.yaml" <<'YAML'
id: 2f0c6f5e-1b1a-4c55-9f3e-7a0d8c1e2b02
name: Office starts encoded PowerShell (ASIM process create)
severity: High
queryFrequency: 1h
queryPeriod: 1d
triggerOperator: gt
triggerThreshold: 0
tactics: [Execution]
query: |
  imProcessCreate(starttime = ago(1d), commandline_has_any = dynamic(["-enc", "-EncodedCommand"]))
  | where TargetProcessName endswith "powershell.exe"
  | where ActingProcessName has_any ("WINWORD.EXE", "EXCEL.EXE")
  | project TimeGenerated, DvcHostname, ActorUsername, TargetProcessCommandLine
kind: Scheduled
YAML
"$KQLITE" hunt "$WORK/rules" "${functions[@]}" --now 2024-05-01T12:00:00Z --format jsonl \
  --data "$D/DeviceNetworkEvents.jsonl" --data "$D/DeviceProcessEvents.jsonl" >"$WORK/alerts.jsonl" 2>"$WORK/hunt.err" \
  || stop "hunt: $(grep -m3 error "$WORK/hunt.err")"
[ "$(wc -l <"$WORK/alerts.jsonl")" -eq 2 ] || stop "two alerts: $(cat "$WORK/alerts.jsonl")"
expect_in "$WORK/alerts.jsonl" '"Destinations":["203.0.113.40","203.0.113.41"]'
expect_in "$WORK/alerts.jsonl" '"TargetProcessCommandLine":"powershell.exe -nop -w hidden -enc SQBFAFgA"'
echo "ok: hunt runs a network-session and a process-creation rule through the unifying parsers"
finish asim_parsers
