#!/usr/bin/env bash
# Installs kqlite's build and test dependencies from Debian 12's apt (run as root, or with sudo available).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config python3
  libsimdjson-dev libre2-dev libyaml-cpp-dev libcli11-dev libfmt-dev libzstd-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev  # the sanitizer + libFuzzer build of scripts/sanitize.sh FUZZ=1 and scripts/fuzz.sh
  time  # /usr/bin/time: peak memory in tests/e2e/query_streaming.sh
)
# Optional, x86-64 only in Debian: Hyperscan for the hunt's multi-literal prefilter (CMake falls back without it).
if [ "$(uname -m)" = x86_64 ]; then packages+=(libhyperscan-dev); fi
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
echo "kqlite dependencies are installed."
