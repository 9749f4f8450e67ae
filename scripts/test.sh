#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: install dependencies, build, run ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install_deps.sh
bash scripts/build.sh -DKQL_BUILD_TESTS=ON
cd build
ctest -j2 --output-on-failure --timeout 600
