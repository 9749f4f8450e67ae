#!/usr/bin/env bash
# Builds and runs one libFuzzer target (clang, ASan+UBSan, coverage on every library).
#   scripts/fuzz.sh TARGET [SECONDS]      TARGET: fuzz_parser fuzz_query fuzz_csv_reader fuzz_rule_yaml fuzz_jsonl_reader
#   scripts/fuzz.sh corpus                only (re)extract the seed corpora
#   scripts/fuzz.sh repro TARGET FILE...  runs the target once on saved inputs (crash reproduction)
# Environment: BUILD_DIR (default build-fuzz), JOBS (default 2), FUZZ_FLAGS (extra libFuzzer flags).
# Seeds come from tests/golden, the conformance cases, the rule packs and data fixtures; they are written under
# BUILD_DIR/corpus (not committed). Crashes, hangs and OOMs go to BUILD_DIR/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${JOBS:-2}
TARGETS="fuzz_parser fuzz_query fuzz_csv_reader fuzz_rule_yaml fuzz_jsonl_reader"

extract_corpus() {
  python3 - "$ROOT" "$BUILD_DIR/corpus" <<'PY'
import glob, hashlib, json, os, sys
root, out = sys.argv[1], sys.argv[2]
def put(kind, text, limit=8192):
    data = text.encode('utf-8', 'surrogateescape')[:limit]
    if not data:
        return
    os.makedirs(os.path.join(out, kind), exist_ok=True)
    with open(os.path.join(out, kind, hashlib.sha1(data).hexdigest()), 'wb') as f:
        f.write(data)
# Queries: every query/error/plan record body of the golden files, and every conformance query.
for path in glob.glob(os.path.join(root, 'tests/golden/**/*.kqltest'), recursive=True):
    lines = open(path, encoding='utf-8', errors='surrogateescape').read().split('\n')
    i = 0
    while i < len(lines):
        head = lines[i].split(' ')[0]
        if head in ('query', 'error', 'plan'):
            body = []
            i += 1
            while i < len(lines) and lines[i] != '----' and lines[i].strip():
                body.append(lines[i])
                i += 1
            put('query', '\n'.join(body))
        elif head == 'table':
            # Inline data: rows up to the blank line, JSON lines unless a `format csv` line says otherwise.
            kind = 'jsonl'
            body = []
            i += 1
            while i < len(lines) and lines[i].strip():
                if lines[i].startswith('format '):
                    kind = 'csv' if lines[i].strip().endswith('csv') else 'jsonl'
                elif not lines[i].startswith('load '):
                    body.append(lines[i])
                i += 1
            put(kind, '\n'.join(body) + '\n')
        i += 1
for path in glob.glob('/work/shared/conformance/*.jsonl') + glob.glob(os.path.join(root, '../shared/conformance/*.jsonl')):
    for line in open(path, encoding='utf-8'):
        try:
            case = json.loads(line)
        except ValueError:
            continue
        if isinstance(case, dict) and isinstance(case.get('query'), str):
            put('query', case['query'])
for path in glob.glob(os.path.join(root, 'rules/**/*.yaml'), recursive=True) + \
            glob.glob(os.path.join(root, 'tests/data/**/*.yaml'), recursive=True):
    put('yaml', open(path, encoding='utf-8', errors='surrogateescape').read(), 16384)
for path in glob.glob(os.path.join(root, '**/*.csv'), recursive=True):
    if '/build' not in path:
        put('csv', open(path, encoding='utf-8', errors='surrogateescape').read())
for path in glob.glob(os.path.join(root, 'tests/data/**/*.jsonl'), recursive=True) + \
            glob.glob(os.path.join(root, 'data/**/*.jsonl'), recursive=True):
    put('jsonl', open(path, encoding='utf-8', errors='surrogateescape').read())
for kind in ('query', 'csv', 'yaml', 'jsonl'):
    os.makedirs(os.path.join(out, kind), exist_ok=True)
    print(kind, len(os.listdir(os.path.join(out, kind))), 'seeds')
PY
}

seed_kind() {
  case "$1" in
    fuzz_parser|fuzz_query) echo query ;;
    fuzz_csv_reader) echo csv ;;
    fuzz_rule_yaml) echo yaml ;;
    fuzz_jsonl_reader) echo jsonl ;;
    *) echo "unknown target $1 (one of: $TARGETS)" >&2; exit 2 ;;
  esac
}

build() {
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
      -DKQL_BUILD_FUZZ=ON -DKQL_BUILD_TESTS=OFF -DKQL_SANITIZE=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link" \
      -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG"
  fi
  cmake --build "$BUILD_DIR" --target "$@" -j"$JOBS"
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

case "${1:-}" in
  corpus) extract_corpus; exit 0 ;;
  repro)
    target=$2; shift 2
    build "$target"
    exec "$BUILD_DIR/$target" -runs=1 "$@" ;;
  ""|-h|--help) sed -n 2,9p "$0"; exit 2 ;;
esac

target=$1
seconds=${2:-120}
kind=$(seed_kind "$target")
build "$target"
[ -d "$BUILD_DIR/corpus/$kind" ] || extract_corpus
mkdir -p "$BUILD_DIR/artifacts/$target" "$BUILD_DIR/corpus/$target"
dict=()
[ "$kind" = query ] && dict=(-dict="$ROOT/tests/fuzz/kql.dict")
# The first corpus directory receives new inputs; the shared seed directory is read only.
"$BUILD_DIR/$target" "$BUILD_DIR/corpus/$target" "$BUILD_DIR/corpus/$kind" "${dict[@]}" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$BUILD_DIR/artifacts/$target/" ${FUZZ_FLAGS:-}
