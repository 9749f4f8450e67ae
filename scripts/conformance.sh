#!/usr/bin/env bash
# Builds and runs the conformance runner (tools/conformance) over ../shared/conformance, then rewrites the
# "Semantics (conformance)" section of docs/compatibility.md with the pass-rate table.
# Usage: scripts/conformance.sh [BUILD_DIR]   (default: build). Outputs in BUILD_DIR/conformance/.
# Env: KQL_CONFORMANCE_DIR overrides the cases folder; KQL_CONFORMANCE_NO_DOC=1 skips the docs rewrite.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${1:-build}"
cases_dir="${KQL_CONFORMANCE_DIR:-../shared/conformance}"
out_dir="$build_dir/conformance"
mkdir -p "$out_dir"

if [ ! -f "$build_dir/build.ninja" ] && [ ! -f "$build_dir/Makefile" ]; then
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKQL_BUILD_TESTS=ON
fi
cmake --build "$build_dir" --target kql_conformance -j2

"$build_dir/kql_conformance" --dir "$cases_dir" --json "$out_dir/summary.json" \
  --failures "$out_dir/failures.jsonl" --markdown "$out_dir/section.md"
echo "summary: $out_dir/summary.json  failures: $out_dir/failures.jsonl"

if [ "${KQL_CONFORMANCE_NO_DOC:-0}" = "1" ]; then exit 0; fi

# Replace only the text between the section markers; create the section (or the file) when missing.
python3 - "$out_dir/section.md" docs/compatibility.md <<'PY'
import os, sys
section_path, doc_path = sys.argv[1], sys.argv[2]
begin, end = "<!-- conformance:begin -->", "<!-- conformance:end -->"
body = open(section_path, encoding="utf-8").read().rstrip("\n")
block = f"{begin}\n{body}\n{end}"
text = open(doc_path, encoding="utf-8").read() if os.path.exists(doc_path) else "# KQL compatibility\n"
if begin in text and end in text:
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    text = head + block + tail
else:
    text = text.rstrip("\n") + "\n\n## Semantics (conformance)\n\n" + block + "\n"
open(doc_path, "w", encoding="utf-8").write(text)
print(f"updated {doc_path}")
PY
