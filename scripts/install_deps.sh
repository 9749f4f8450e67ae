#!/usr/bin/env bash
# Installs kqlite's build and test dependencies from Debian 12's apt (run as root, or with sudo available).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  libsimdjson-dev libre2-dev libyaml-cpp-dev libcli11-dev libfmt-dev libzstd-dev zlib1g-dev
  libs2-dev  # S2 geometry for the geo_* functions
  libgtest-dev libgmock-dev libbenchmark-dev
  libpugixml-dev libutf8proc-dev  # parse_xml; Unicode case mapping
  libhowardhinnant-date-dev tzdata libidn-dev libboost-math1.74-dev  # time zones, punycode, beta distribution
  libcurl4-openssl-dev  # the ClickHouse back end's HTTP client (headers; the library is loaded at run time)
  libcpp-httplib-dev  # kqlite serve (the local web UI)
  libmimalloc-dev  # the kqlite executable's allocator (MIT)
  libedit-dev tmux  # kqlite shell's line editing (libedit, BSD); tmux drives it in external/shell_tmux
  pybind11-dev python3-dev python3-pandas  # the Python module (build/python) and its external/python_* tests
  python3-setuptools python3-wheel  # setup.py's sdist and wheel in external/python_packaging (no pip)
  clang libclang-rt-14-dev  # the sanitizer + libFuzzer build of scripts/sanitize.sh FUZZ=1 and scripts/fuzz.sh
  time  # /usr/bin/time: peak memory in tests/e2e/query_streaming.sh
)
# Optional, x86-64 only in Debian: Hyperscan for the hunt's multi-literal prefilter (CMake falls back without it).
if [ "$(uname -m)" = x86_64 ]; then packages+=(libhyperscan-dev); fi
# The web UI's headless browser test (external/web_ui_chromium); Node.js and npm for the npm packages of charts and
# the web UI (scripts/web_deps.sh), from Debian when the machine has no npm of its own.
packages+=(chromium)
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Optional: Debian's ClickHouse (18.16) for the external/clickhouse_* tests (they skip when it cannot be installed).
if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends clickhouse-server clickhouse-client \
    || echo "clickhouse-server could not be installed: the external/clickhouse_* tests will skip."
fi
echo "kqlite dependencies are installed."
