#!/usr/bin/env bash
# parse_agreement.sh: compares kqlite's parser with Microsoft's Kusto.Language parser (the oracle) on the
# conformance query sets, syntax only.
#
# Usage: scripts/parse_agreement.sh [--details] PARSE_CHECK_BINARY [jsonl files...]
#   PARSE_CHECK_BINARY  the tests/tools/parse_check executable (reads JSON lines, prints id<TAB>ok|error<TAB>diag)
#   jsonl files         default: ../shared/conformance/{sentinel_queries,kusto_engine_cases,doc_cases}.jsonl
# Environment: KUSTO_LS_DIR (default /opt/kusto-ls) holds node_modules/@kusto/language-service-next;
#              KQLCHECK (default ../shared/tools/kqlcheck.js).
# Prints, per file: of the queries Microsoft accepts, how many we accept; of those it rejects, how many we reject.
# With --details, also lists every disagreement with both first diagnostics.
set -euo pipefail

details=0
if [[ "${1:-}" == "--details" ]]; then
  details=1
  shift
fi
if [[ $# -lt 1 ]]; then
  sed -n '2,12p' "$0"
  exit 1
fi
parse_check="$1"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${KQL_SHARED_DIR:-$root/../shared}"
[[ -d "$shared" ]] || shared=/work/shared
export KUSTO_LS_DIR="${KUSTO_LS_DIR:-/opt/kusto-ls}"
kqlcheck="${KQLCHECK:-$shared/tools/kqlcheck.js}"
if [[ $# -eq 0 ]]; then
  set -- "$shared/conformance/sentinel_queries.jsonl" "$shared/conformance/kusto_engine_cases.jsonl" \
    "$shared/conformance/doc_cases.jsonl"
fi
command -v node >/dev/null || { echo "parse_agreement: node is required" >&2; exit 1; }
[[ -d "$KUSTO_LS_DIR/node_modules/@kusto/language-service-next" ]] || {
  echo "parse_agreement: install the oracle: cd $KUSTO_LS_DIR && npm install @kusto/language-service-next" >&2
  exit 1
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for file in "$@"; do
  name="$(basename "$file" .jsonl)"
  node "$kqlcheck" < "$file" > "$work/$name.ms" 2> "$work/$name.ms.log"
  "$parse_check" < "$file" > "$work/$name.ours"
  DETAILS="$details" NAME="$name" node - "$work/$name.ms" "$work/$name.ours" <<'NODE'
const fs = require('fs');
const [msFile, oursFile] = process.argv.slice(2);
const ms = new Map();
for (const line of fs.readFileSync(msFile, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  const first = r.syntax_errors && r.syntax_errors[0];
  ms.set(String(r.id), { ok: r.syntax_ok, diag: first ? `${first.code} ${first.line}:${first.col} ${first.message}` : '' });
}
let msOk = 0, bothOk = 0, msErr = 0, bothErr = 0;
const disagreements = [];
for (const line of fs.readFileSync(oursFile, 'utf8').split('\n')) {
  if (!line) continue;
  const [id, verdict, diag] = line.split('\t');
  const m = ms.get(id);
  if (!m) continue;
  const ours = verdict === 'ok';
  if (m.ok) { msOk++; if (ours) bothOk++; else disagreements.push(`${id}\tMS ok\tours: ${diag}`); }
  else { msErr++; if (!ours) bothErr++; else disagreements.push(`${id}\tMS error: ${m.diag}\tours: ok`); }
}
const pct = (a, b) => (b ? (100 * a / b).toFixed(1) : '100.0');
console.log(`${process.env.NAME}: Microsoft accepts ${msOk}, we accept ${bothOk} (${pct(bothOk, msOk)}%); ` +
            `Microsoft rejects ${msErr}, we reject ${bothErr}`);
if (process.env.DETAILS === '1') for (const d of disagreements) console.log('  ' + d);
NODE
done
