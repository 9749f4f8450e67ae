#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: install dependencies, build, run ctest.
# KQL_HARDENING=1 (what .ci/run sets) also runs the whole suite under ASan+UBSan and each libFuzzer target for
# FUZZ_SECONDS (default 60) in build-fuzz, before the normal suite, so ctest's summary stays the last output.
# The fuzz runs use a fixed libFuzzer seed (FUZZ_SEED, default 20261206) so a CI result can be reproduced: a local
# run with the same seed and a longer time covers every input CI's shorter run tries. Explore with other seeds
# through scripts/fuzz.sh directly (it picks a random seed unless FUZZ_FLAGS sets one).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh -DKQL_BUILD_TESTS=ON
if [ "${KQL_HARDENING:-0}" = 1 ]; then
  # Packaging tests (cpack, a relocated install, the Python wheel) check files, not memory safety, and the chdb
  # check runs SQL on current ClickHouse without kqlite: they run in the normal suite only, as do the ClickHouse
  # differential, foreign-type and join-pushdown suites (minutes of server time; the other ClickHouse tests drive
  # the same code paths under the sanitizers).
  FUZZ=1 BUILD_DIR="$PWD/build-fuzz" bash scripts/sanitize.sh \
    -E 'e2e/package_deb|e2e/install_relocated|external/clickhouse_chdb_sql|external/clickhouse_differential|external/clickhouse_foreign_types|external/clickhouse_join_pushdown|external/python_packaging'
  for target in fuzz_parser fuzz_query fuzz_csv_reader fuzz_rule_yaml fuzz_jsonl_reader; do
    BUILD_DIR="$PWD/build-fuzz" FUZZ_FLAGS="-seed=${FUZZ_SEED:-20261206} ${FUZZ_FLAGS:-}" \
      bash scripts/fuzz.sh "$target" "${FUZZ_SECONDS:-60}"
  done
fi
cd build
ctest -j2 --output-on-failure --timeout 600
