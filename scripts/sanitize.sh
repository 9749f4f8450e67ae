#!/usr/bin/env bash
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer (KQL_SANITIZE=ON) and runs the whole CTest
# suite; any sanitizer report fails the test that triggered it (UBSan halts on the first error).
#   scripts/sanitize.sh [extra ctest args]       e.g. scripts/sanitize.sh -R operators/summarize
# Environment: BUILD_DIR (default build-asan), JOBS (default 2), CXX (default: CMake's choice, usually g++).
#   FUZZ=1: configure with clang++, coverage instrumentation and the libFuzzer targets too (BUILD_DIR defaults to
#   build-fuzz), so one sanitized build serves this suite and scripts/fuzz.sh (what .ci/run does).
# KQL_SIMD_DISPATCH turns itself off under KQL_SANITIZE, so the portable JSON reader is the one checked.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-2}
if [ "${FUZZ:-0}" = 1 ]; then
  BUILD_DIR=${BUILD_DIR:-$ROOT/build-fuzz}
  # -O1 and line tables only: what the sanitizers need, and much quicker to compile than -O2 -g.
  fuzz_flags=(-DCMAKE_CXX_COMPILER=clang++ -DKQL_BUILD_FUZZ=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link"
              -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG")
else
  BUILD_DIR=${BUILD_DIR:-$ROOT/build-asan}
  fuzz_flags=()
fi
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKQL_SANITIZE=ON -DKQL_BUILD_TESTS=ON \
    "${fuzz_flags[@]}"
fi
cmake --build "$BUILD_DIR" -j"$JOBS"
# detect_leaks: every test must also be leak free. halt_on_error: a UBSan report is a failure, not a warning.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
cd "$BUILD_DIR"
ctest -j"$JOBS" --output-on-failure --timeout 1200 "$@"
